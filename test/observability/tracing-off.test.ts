import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { tracingOn } from '../../src/observability/tracing.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Without an SDK (the default): nothing records, and events carry a traceparent only when the
// client sent one, passed on as it came so the trace continues in a process that does record.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

const requirement = { title: 'Single sign-on', description: 'Users log in once', priority: 'high', acceptanceCriteria: ['login with SSO'] };

async function storedMetadata(headers: Record<string, string> = {}) {
  const response = await api.request('POST', '/api/requirements', { body: requirement, headers });
  expect(response.status).toBe(201);
  const [event] = await api.backends.events.readStream(`requirement-${response.body.id}`);
  return event!.metadata;
}

describe('tracing off', () => {
  it('has no SDK registered: spans are the no-op ones and record nothing', () => {
    expect(tracingOn()).toBe(false);
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it('stores no traceparent when the client sent none', async () => {
    const metadata = await storedMetadata();
    expect(metadata).not.toHaveProperty('traceparent');
  });

  it("stores the client's traceparent unchanged, since no span of this process came between", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect((await storedMetadata({ traceparent })).traceparent).toBe(traceparent);
  });

  it('drops a malformed traceparent', async () => {
    const metadata = await storedMetadata({ traceparent: '00-zz-00f067aa0ba902b7-01' });
    expect(metadata).not.toHaveProperty('traceparent');
  });
});
