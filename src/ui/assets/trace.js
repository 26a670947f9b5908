// Trace page: nothing live; folding is native <details>. Kept for page-specific behaviour.
(() => {
  for (const node of document.querySelectorAll('.trace-command')) node.title = node.dataset.command;
})();
