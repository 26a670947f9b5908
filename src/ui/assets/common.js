// Shared by the console's pages: JSON requests to the API through /ui/api (the session cookie
// authenticates them), and safe rendering of text.
window.ledger = {
  async request(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch('/ui/api' + path, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  },
  el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
    return node;
  },
  /** A problem+json answer as a box; conflicting commands become links to their trace. */
  problem(body) {
    const box = ledger.el('div', { class: 'problem', role: 'alert' }, ledger.el('strong', {}, `${body?.status ?? ''} ${body?.title ?? 'error'} `), body?.detail ?? '');
    for (const commandId of body?.conflictingCommands ?? []) {
      box.append(' ', ledger.el('a', { href: `/ui/commands/${commandId}`, class: 'conflict' }, `command ${commandId}`));
    }
    return box;
  },
};
