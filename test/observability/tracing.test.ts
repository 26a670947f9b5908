import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { startTestApp, type TestApp } from '../support/test-app.js';

// With an SDK registered: one command over HTTP is one trace, from the request down to the
// read-model write of the projections that handle its events.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let api: TestApp;

beforeAll(async () => {
  provider.register();
  api = await startTestApp();
});
afterAll(async () => {
  await api.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});
beforeEach(() => exporter.reset());

const requirement = { title: 'Single sign-on', description: 'Users log in once', priority: 'high', acceptanceCriteria: ['login with SSO'] };

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

function only(spans: ReadableSpan[], predicate: (span: ReadableSpan) => boolean, what: string): ReadableSpan {
  const found = spans.filter(predicate);
  expect(found, what).toHaveLength(1);
  return found[0]!;
}

/** Captures a requirement and waits until the requirements projection has written it. */
async function captureTraced(headers: Record<string, string> = {}) {
  const response = await api.request('POST', '/api/requirements', { body: requirement, headers });
  expect(response.status).toBe(201);
  await vi.waitFor(() => {
    expect(exporter.getFinishedSpans().some((span) => span.name === 'projection requirements read-model write')).toBe(true);
  });
  const stored = await api.backends.events.readStream(`requirement-${response.body.id}`);
  return { id: response.body.id as string, spans: exporter.getFinishedSpans(), stored };
}

describe('tracing a command over HTTP', () => {
  it('shows request → command → load, decide, append → projection handling → read-model write, in one trace', async () => {
    const { spans, stored } = await captureTraced();

    const request = only(spans, (span) => span.kind === SpanKind.SERVER, 'one request span');
    expect(request.name).toBe('POST /api/requirements');
    expect(request.attributes['http.response.status_code']).toBe(201);
    const command = only(spans, (span) => span.name === 'command requirement.capture', 'one command span');
    expect(parentOf(command)).toBe(request.spanContext().spanId);
    expect(command.attributes['agent_ledger.correlation_id']).toBe(stored[0]!.metadata.correlationId);
    const steps = ['load', 'decide', 'append'].map((name) =>
      only(spans, (span) => span.name === name && parentOf(span) === command.spanContext().spanId, `one ${name} span under the command`),
    );
    const handling = only(spans, (span) => span.name === 'projection requirements RequirementCaptured', 'one handling span of the requirements projection');
    expect(parentOf(handling)).toBe(command.spanContext().spanId);
    expect(handling.kind).toBe(SpanKind.CONSUMER);
    expect(handling.attributes['agent_ledger.event.id']).toBe(stored[0]!.id);
    const write = only(spans, (span) => span.name === 'projection requirements read-model write', 'one read-model write');
    expect(parentOf(write)).toBe(handling.spanContext().spanId);

    const inOrder = [request, command, ...steps, handling, write];
    expect(new Set(inOrder.map((span) => span.spanContext().traceId)).size).toBe(1);
    const starts = inOrder.map((span) => span.startTime[0] * 1e9 + span.startTime[1]);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // The projection ran after the response, yet its spans end inside the same trace.
    expect(write.endTime[0] * 1e9 + write.endTime[1]).toBeGreaterThan(request.endTime[0] * 1e9 + request.endTime[1]);
  });

  it('stores the command span as the event traceparent, so another process continues the trace', async () => {
    const { spans, stored } = await captureTraced();
    const command = only(spans, (span) => span.name === 'command requirement.capture', 'one command span');
    const { traceId, spanId } = command.spanContext();
    expect(stored[0]!.metadata.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('keeps the trace id of an incoming traceparent, and stores it in the event metadata', async () => {
    const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clientSpan = '00f067aa0ba902b7';
    const { spans, stored } = await captureTraced({ traceparent: `00-${clientTrace}-${clientSpan}-01` });
    const request = only(spans, (span) => span.kind === SpanKind.SERVER, 'one request span');
    expect(request.spanContext().traceId).toBe(clientTrace);
    expect(parentOf(request)).toBe(clientSpan);
    expect(spans.every((span) => span.spanContext().traceId === clientTrace)).toBe(true);
    expect(stored[0]!.metadata.traceparent).toMatch(new RegExp(`^00-${clientTrace}-[0-9a-f]{16}-01$`));
  });

  it('ignores a malformed traceparent: a new trace starts', async () => {
    const { spans, stored } = await captureTraced({ traceparent: 'not-a-trace' });
    const request = only(spans, (span) => span.kind === SpanKind.SERVER, 'one request span');
    expect(parentOf(request)).toBeUndefined();
    expect(stored[0]!.metadata.traceparent).toMatch(new RegExp(`^00-${request.spanContext().traceId}-`));
  });
});
