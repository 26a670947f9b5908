// The first page of the timeline is live: entries from the audit stream are added on top.
(() => {
  const table = document.getElementById('timeline');
  const status = document.getElementById('live-status');
  const url = table?.dataset.stream;
  if (!url) return;
  const { el } = ledger;
  const short = (id) => (id ? id.slice(-6) : '');
  const aggregates = ['requirement', 'feature', 'build', 'deployment', 'incident', 'pipeline'];
  const source = new EventSource(url);
  source.onopen = () => (status.textContent = 'live');
  source.onerror = () => (status.textContent = 'reconnecting…');
  source.addEventListener('audit', (message) => {
    const entry = JSON.parse(message.data);
    if (table.querySelector(`tr[data-position="${entry.position}"]`)) return;
    const aggregate = aggregates.includes(entry.aggregateType)
      ? el('a', { href: `/ui/aggregates/${entry.aggregateType}/${entry.aggregateId}` }, `${entry.aggregateType} ${short(entry.aggregateId)}`)
      : `${entry.aggregateType} ${short(entry.aggregateId)}`;
    const command = entry.commandId ? el('a', { href: `/ui/commands/${entry.commandId}`, title: entry.commandId }, short(entry.commandId)) : '';
    const row = el('tr', { 'data-position': entry.position, class: 'fresh' },
      el('td', { class: 'at' }, entry.at),
      el('td', {}, entry.actor),
      el('td', {}, aggregate, ' ', el('span', { class: 'muted' }, `r${entry.revision}`)),
      el('td', {}, el('code', {}, entry.type)),
      el('td', {}, entry.summary),
      el('td', {}, command));
    table.tBodies[0].prepend(row);
    document.getElementById('empty')?.remove();
  });
})();
