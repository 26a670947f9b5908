import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from './process-cpu.js';
import { readyMessageSchema, type StopMessage } from './servers/child-protocol.js';

export interface ChildServer {
  /** http://127.0.0.1:<port>, so clients never try ::1 first. */
  url: string;
  /** CPU seconds the server process has used so far (null where the OS does not say). */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Runs a server script (under bench/lib/servers) in its own Node process through tsx, so the
 * load generator's CPU use in this process is the same whichever server is measured.
 */
export async function startChildServer(script: string, env: NodeJS.ProcessEnv): Promise<ChildServer> {
  const child = fork(fileURLToPath(new URL(`./servers/${script}`, import.meta.url)), [], {
    cwd: projectRoot,
    env,
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server process there, for profiling.
    execArgv: ['--import', 'tsx', ...(env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF}`] : [])],
    // stdout is not a terminal then, so the server logs plain JSON (silenced) and this one stays clean.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await waitForReady(child, script);
  return {
    url: `http://127.0.0.1:${port}`,
    cpuSeconds: () => (child.pid === undefined ? null : processCpuSeconds(child.pid)),
    stop: () => stopChild(child),
  };
}

function waitForReady(child: ChildProcess, script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${STARTUP_TIMEOUT_MS / 1000} s`));
    }, STARTUP_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before it was ready`));
    };
    child.once('exit', onExit);
    child.on('message', (message) => {
      const ready = readyMessageSchema.safeParse(message);
      if (!ready.success) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(ready.data.port);
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // A clean stop lets SQLite close its files; the kill is only for a server that hangs.
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    const stop: StopMessage = { type: 'stop' };
    child.send(stop);
  });
}
