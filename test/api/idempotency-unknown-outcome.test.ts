import { afterEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/eventstore/port.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// An append that outlives its call's timeout: the client gets a 503 although the event may land.
// A retry with the same Idempotency-Key must not create a second aggregate, whenever it comes.
function slowFirstAppend(delayMs: number) {
  return (inner: EventStore): EventStore => {
    let slowed = false;
    return new Proxy(inner, {
      get(target, property, receiver) {
        if (property !== 'append') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<EventStore['append']>) => {
          if (!slowed && args[0].startsWith('requirement-')) {
            slowed = true;
            await new Promise((resolve) => setTimeout(resolve, delayMs));
          }
          return target.append(...args);
        };
      },
    });
  };
}

let api: TestApp | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function capturedWithTitle(app: TestApp, title: string): Promise<string[]> {
  const events = await app.backends.events.readAll({ streamPrefix: 'requirement-' });
  return events.filter((e) => e.type === 'RequirementCaptured' && (e.data as { title: string }).title === title).map((e) => e.streamName);
}

describe('Idempotency-Key when the first outcome is unknown', () => {
  it.each([
    ['after the first append landed', 600],
    ['while the first append is still in flight', 0],
  ])('a retry %s creates nothing new and answers with the one requirement', async (_when, waitMs) => {
    api = await startTestApp({}, { backends: { intercept: { events: slowFirstAppend(400) }, resilience: { events: { callTimeoutMs: 150, maxAttempts: 1 } } } });
    const title = `Unknown outcome ${waitMs}`;
    const body = { title, description: '', priority: 'low', acceptanceCriteria: ['once'] };
    const headers = { 'idempotency-key': `unknown-${waitMs}` };
    const first = await api.request('POST', '/api/requirements', { body, headers });
    expect(first.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    const retry = await api.request('POST', '/api/requirements', { body, headers });
    expect(retry.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 600)); // let the slow append finish either way
    const streams = await capturedWithTitle(api, title);
    expect(streams).toEqual([`requirement-${retry.body.id}`]);
  }, 20_000);
});
