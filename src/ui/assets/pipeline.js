// Run page: the run's stages refresh every second until it finishes.
(() => {
  const run = document.getElementById('run');
  if (!run) return;
  const timer = setInterval(async () => {
    const response = await fetch(`/ui/pipelines/${run.dataset.id}/view`);
    if (!response.ok) return;
    run.innerHTML = await response.text();
    const status = document.getElementById('run-status')?.textContent;
    if (status && status !== 'running') clearInterval(timer);
  }, 1000);
})();
