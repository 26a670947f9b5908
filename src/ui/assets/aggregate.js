// Aggregate page: the state at a revision or time, a diff of two revisions, and undo / revert
// with a preview (the API's dryRun) before anything is appended.
(() => {
  const root = document.getElementById('aggregate');
  if (!root) return;
  const { request, el, problem } = ledger;
  const base = `/${root.dataset.collection}/${root.dataset.id}`;
  const slider = document.getElementById('revision-slider');
  const label = document.getElementById('revision-label');
  const stateAt = document.getElementById('state-at');
  const stateMeta = document.getElementById('state-at-meta');
  const result = document.getElementById('action-result');

  async function showState(query) {
    const answer = await request('GET', `${base}?${query}`);
    if (answer.status !== 200) {
      stateMeta.replaceChildren(problem(answer.body));
      return;
    }
    stateMeta.textContent = `revision ${answer.body.asOf.revision} at ${answer.body.asOf.at}`;
    stateAt.textContent = JSON.stringify(answer.body, null, 2);
    slider.value = answer.body.asOf.revision;
    label.textContent = answer.body.asOf.revision;
  }
  slider.addEventListener('input', () => (label.textContent = slider.value));
  slider.addEventListener('change', () => showState(`revision=${slider.value}`));
  document.getElementById('at-go').addEventListener('click', () => {
    const at = document.getElementById('at-time').value.trim();
    if (at) showState(`at=${encodeURIComponent(at)}`);
  });

  /** Top-level fields, with nested values compared as JSON. */
  function fieldDiff(a, b) {
    const skip = new Set(['asOf']);
    const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((field) => !skip.has(field)).sort();
    return fields.map((field) => ({ field, from: JSON.stringify(a[field]), to: JSON.stringify(b[field]) }));
  }
  document.getElementById('diff-go').addEventListener('click', async () => {
    const [ra, rb] = [document.getElementById('diff-a').value, document.getElementById('diff-b').value];
    const [a, b] = await Promise.all([request('GET', `${base}?revision=${ra}`), request('GET', `${base}?revision=${rb}`)]);
    const body = document.querySelector('#diff tbody');
    if (a.status !== 200 || b.status !== 200) return body.replaceChildren(el('tr', {}, el('td', { colspan: 3 }, problem(a.status !== 200 ? a.body : b.body))));
    body.replaceChildren(...fieldDiff(a.body, b.body).map((row) =>
      el('tr', { class: row.from === row.to ? 'same' : 'changed', 'data-field': row.field }, el('td', {}, row.field), el('td', {}, row.from ?? ''), el('td', {}, row.to ?? ''))));
  });

  const dialog = document.getElementById('preview');
  /** Shows what `path` would append (dry run); on confirm, sends it for real. */
  async function previewThenSend(title, path, body) {
    result.replaceChildren();
    const preview = await request('POST', `${path}?dryRun=true`, body);
    if (preview.status !== 200) return result.replaceChildren(problem(preview.body));
    document.getElementById('preview-title').textContent = title;
    document.getElementById('preview-events').textContent = JSON.stringify(preview.body.events, null, 2);
    dialog.returnValue = '';
    dialog.showModal();
    dialog.addEventListener('close', async () => {
      if (dialog.returnValue !== 'confirm') return;
      const sent = await request('POST', path, body);
      if (sent.status === 200 || sent.status === 201) {
        result.replaceChildren(el('p', { id: 'applied' }, `Appended ${sent.body.events.join(', ')} at revision ${sent.body.revision}. `, el('a', { href: location.pathname }, 'Reload')));
      } else {
        result.replaceChildren(problem(sent.body));
      }
    }, { once: true });
  }
  for (const button of document.querySelectorAll('button.undo')) {
    button.addEventListener('click', () => previewThenSend(`Undo command ${button.dataset.command}`, `/commands/${button.dataset.command}/undo`));
  }
  document.getElementById('revert')?.addEventListener('click', () =>
    previewThenSend(`Revert to revision ${slider.value}`, `${base}/revert`, { toRevision: Number(slider.value) }));
})();
