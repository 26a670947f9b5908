import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Ends the process: SIGKILL by default, as a crash would. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `src/main.ts` (what `npm start` runs) as a real process and waits for its URL. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  return startProcess('src/main.ts', { LOG_LEVEL: 'warn', ...env }, /listening on (http:\/\/[^\s"]+)/);
}

/** Runs `src/worker.ts` (what `npm run worker` runs); `url` is its lease owner id. */
export async function startWorkerProcess(env: Record<string, string>): Promise<ServerProcess> {
  return startProcess('src/worker.ts', { LOG_LEVEL: 'info', ...env }, /"owner":"([^"]+)"[^\n]*worker running/);
}

/** Starts the entry point and waits for `ready` in its output; its first group is the answer. */
async function startProcess(entry: string, env: Record<string, string>, ready: RegExp): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', RATE_LIMIT_RPS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${output}`));
    });
  });
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return {
    url,
    child,
    output: () => output,
    kill: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
