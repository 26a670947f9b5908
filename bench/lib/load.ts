import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  seconds: number;
}

export interface LoadFigures {
  /** Responses with a 2xx status per second of the run. */
  okPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  responses: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  statusCodes: Record<string, number>;
  /** Server CPU milliseconds per 2xx response; null when the server's CPU time is unknown. */
  serverCpuMsPerOk: number | null;
}

/**
 * One autocannon run with the settings shared by every benchmark, so their figures compare.
 * `serverCpuSeconds` reads the server's CPU time, to tell what each response cost it.
 */
export async function runLoad(
  url: string,
  settings: LoadSettings,
  request: { headers: Record<string, string>; requests: autocannon.RequestSpec[] },
  serverCpuSeconds: () => number | null = () => null,
): Promise<LoadFigures> {
  const cpuBefore = serverCpuSeconds();
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: settings.seconds,
    timeout: 10,
    headers: request.headers,
    requests: request.requests,
  });
  const cpuAfter = serverCpuSeconds();
  const serverCpuMsPerOk = cpuBefore !== null && cpuAfter !== null && result['2xx'] > 0 ? ((cpuAfter - cpuBefore) * 1000) / result['2xx'] : null;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, Number(count)]));
  const responses = Object.values(statusCodes).reduce((sum, count) => sum + count, 0);
  return {
    okPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    responses,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    serverCpuMsPerOk,
  };
}
