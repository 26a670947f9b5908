import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { initTracing, startSpan, tracingOn } from '../../src/observability/tracing.js';

// The standard OTEL_* variables decide whether spans leave the process; a local receiver on
// loopback stands in for the collector.
const received: { path: string; contentType: string | undefined; body: string }[] = [];
let server: Server | undefined;

async function receiver(): Promise<string> {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', contentType: request.headers['content-type'], body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

afterEach(() => vi.unstubAllEnvs());
afterAll(async () => {
  trace.disable();
  context.disable();
  propagation.disable();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe('OTLP export', () => {
  it('stays off with no OTEL_* variables, and with OTEL_TRACES_EXPORTER=none even when an endpoint is set', async () => {
    vi.stubEnv('OTEL_TRACES_EXPORTER', '');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', '');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', '');
    await (await initTracing('agent-ledger-test'))();
    expect(tracingOn()).toBe(false);
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'none');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:9');
    await (await initTracing('agent-ledger-test'))();
    expect(tracingOn()).toBe(false);
  });

  it('sends spans to OTEL_EXPORTER_OTLP_ENDPOINT over OTLP/HTTP (JSON), flushed at shutdown', async () => {
    vi.stubEnv('OTEL_TRACES_EXPORTER', '');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', await receiver());
    const stop = await initTracing('agent-ledger-test');
    expect(tracingOn()).toBe(true);
    const { span } = startSpan('exported', context.active());
    expect(span.isRecording()).toBe(true);
    span.end();
    await stop();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: '/v1/traces', contentType: 'application/json' });
    expect(received[0]!.body).toContain('"exported"');
    expect(received[0]!.body).toContain('agent-ledger-test');
  });
});
