import { SharedLogReader } from '../../src/consumer/shared-log-reader.js';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { CommandBus } from '../../src/commands/command-bus.js';
import { ReactorCheckpoints } from '../../src/agents/reactor-checkpoints.js';
import { ReactorRunner } from '../../src/agents/reactor-runner.js';
import type { Reactor } from '../../src/agents/reactor.js';
import { WorkBulkhead } from '../../src/resilience/index.js';
import { createFeature, temporaryEventStore, update } from '../commands/support/ledger-fixture.js';
import { temporaryStores } from '../resilience/support/stores.js';

// Commands batched into one append each keep their own span; an agent continues the trace its
// event carries, and the commands it issues belong to that trace.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(() => provider.register());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});
beforeEach(() => exporter.reset());

describe('commands batched on a hot stream', () => {
  let fixture: ReturnType<typeof temporaryEventStore>;
  beforeEach(() => {
    fixture = temporaryEventStore('agent-ledger-trace-');
  });
  afterEach(async () => fixture.remove());

  it('given concurrent commands on one stream, each has its own span and event traceparent, and every shared append is under or linked to each of its commands', async () => {
    const bus = new CommandBus(fixture.store);
    const featureId = await createFeature(bus);
    exporter.reset();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => update(bus, featureId, i + 2)));

    const spans = exporter.getFinishedSpans();
    const commands = spans.filter((span) => span.name === 'command feature.update');
    expect(commands).toHaveLength(12);
    for (const command of commands) {
      const decisions = spans.filter((span) => span.name === 'decide' && span.parentSpanContext?.spanId === command.spanContext().spanId);
      expect(decisions).toHaveLength(1);
    }
    const appends = spans.filter((span) => span.name === 'append');
    expect(appends.length).toBeLessThan(12);
    const appendOf = new Map<string, number>();
    appends.forEach((append, index) => {
      appendOf.set(append.parentSpanContext!.spanId, index);
      for (const link of append.links) appendOf.set(link.context.spanId, index);
    });
    for (const command of commands) expect(appendOf.has(command.spanContext().spanId)).toBe(true);
    expect(appends.some((append) => append.links.length > 0)).toBe(true);

    const events = await fixture.store.readStream(`feature-${featureId}`);
    const byCommandId = new Map(events.map((event) => [event.metadata.commandId, event.metadata.traceparent]));
    const commandSpanIds = new Set(commands.map((span) => span.spanContext().spanId));
    const stamped = results.map((result) => String(byCommandId.get(result.commandId)).split('-')[2]);
    expect(new Set(stamped).size).toBe(12);
    for (const spanId of stamped) expect(commandSpanIds.has(spanId!)).toBe(true);
  });
});

describe('an agent reacting to a traced event', () => {
  let stores: ReturnType<typeof temporaryStores>;
  let runner: ReactorRunner | undefined;
  beforeEach(() => {
    stores = temporaryStores();
  });
  afterEach(async () => {
    await runner?.stop();
    await stores.dispose();
  });

  it('reacts in a span under the stored context, and a command it issues is a child of that span', async () => {
    const bus = new CommandBus(stores.events);
    const reactor: Reactor = {
      name: 'agent:tracer',
      canHandle: ['Wanted'],
      async react() {
        await bus.dispatch({
          aggregateType: 'requirement',
          command: { type: 'capture', data: { title: 't', description: '', priority: 'low', acceptanceCriteria: ['a'] } },
          context: { actor: 'agent:tracer', actorRole: 'agent', commandId: randomUUID(), correlationId: 'c-1', causationId: 'e-1' },
        });
      },
    };
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const stored = `00-${traceId}-00f067aa0ba902b7-01`;
    await stores.events.append(`thing-${randomUUID()}`, [{ id: randomUUID(), type: 'Wanted', data: {}, metadata: { traceparent: stored } }], 'no_stream');
    runner = new ReactorRunner(new SharedLogReader(stores.events), new ReactorCheckpoints(stores.readStore), reactor, new WorkBulkhead('agents', 2, 100), { retryDelayMs: 20 });
    await runner.start();

    await vi.waitFor(() => expect(exporter.getFinishedSpans().some((span) => span.name === 'agent agent:tracer Wanted')).toBe(true));
    const spans = exporter.getFinishedSpans();
    const reaction = spans.find((span) => span.name === 'agent agent:tracer Wanted')!;
    expect(reaction.spanContext().traceId).toBe(traceId);
    expect(reaction.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    const command = spans.find((span) => span.name === 'command requirement.capture')!;
    expect(command.parentSpanContext?.spanId).toBe(reaction.spanContext().spanId);
    expect(command.spanContext().traceId).toBe(traceId);
  });
});
