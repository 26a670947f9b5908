// Operations: live projection status (rebuild progress bars), start a rebuild, parked events.
(() => {
  const table = document.getElementById('projections');
  if (!table) return;
  const { request, el, problem } = ledger;
  async function refresh() {
    const response = await fetch('/ui/operations/rows');
    if (response.ok) table.tBodies[0].innerHTML = await response.text();
  }
  setInterval(refresh, 500);
  table.addEventListener('click', async (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    const name = button.dataset.name;
    if (button.classList.contains('rebuild-start')) {
      const answer = await request('POST', `/projections/${name}/rebuild`);
      if (answer.status !== 202) table.before(problem(answer.body));
      refresh();
    } else if (button.classList.contains('rebuild-cancel')) {
      await request('DELETE', `/projections/${name}/rebuild`);
      refresh();
    } else if (button.classList.contains('show-parked')) {
      showParked(name);
    }
  });
  async function showParked(name) {
    const box = document.getElementById('parked');
    const answer = await request('GET', `/projections/${name}/parked`);
    if (answer.status !== 200) return box.replaceChildren(problem(answer.body));
    const retry = el('button', { id: 'retry-parked' }, `Retry ${answer.body.items.length} parked event(s) of ${name}`);
    if (document.body.dataset.role !== 'admin') retry.hidden = true;
    retry.addEventListener('click', async () => {
      const result = await request('POST', `/projections/${name}/parked/retry`);
      box.append(result.status === 200 ? el('p', { id: 'retry-result' }, `retried ${result.body.retried}, succeeded ${result.body.succeeded}, still parked ${result.body.stillParked}`) : problem(result.body));
      refresh();
    });
    box.replaceChildren(
      el('table', {}, ...answer.body.items.map((item) => el('tr', {}, el('td', {}, item.position), el('td', {}, item.streamName), el('td', {}, item.type), el('td', {}, item.error)))),
      retry,
    );
  }
})();
