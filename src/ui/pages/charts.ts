import { html } from 'hono/html';

export interface ChartPoint {
  label: string;
  value: number | null;
}

const WIDTH = 520;
const HEIGHT = 180;
const PAD = { left: 44, right: 10, top: 14, bottom: 28 };

/** A bar chart as inline SVG; a null value is a day without data (no bar). */
export function barChart(title: string, points: ChartPoint[], format: (value: number) => string, id: string) {
  const max = Math.max(0, ...points.map((point) => point.value ?? 0)) || 1;
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = plotWidth / Math.max(points.length, 1);
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const every = Math.ceil(points.length / 6);
  return html`<figure class="card"><figcaption>${title}</figcaption>
<svg class="chart" id="${id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${title}">
  <line x1="${PAD.left}" y1="${PAD.top + plotHeight}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotHeight}" stroke="#dde1ea"/>
  <text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${format(max)}</text>
  <text x="${PAD.left - 6}" y="${PAD.top + plotHeight}" text-anchor="end">${format(0)}</text>
  ${points.map((point, i) => {
    const x = PAD.left + i * step + step * 0.15;
    const bar =
      point.value === null || point.value === 0
        ? ''
        : html`<rect class="bar" data-label="${point.label}" data-value="${point.value}" x="${x.toFixed(1)}" y="${y(point.value).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${(PAD.top + plotHeight - y(point.value)).toFixed(1)}" fill="#2f5bd3"><title>${point.label}: ${format(point.value)}</title></rect>`;
    const tick = i % every === 0 ? html`<text x="${(x + step * 0.35).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${point.label.slice(5)}</text>` : '';
    return html`${bar}${tick}`;
  })}
</svg></figure>`;
}
