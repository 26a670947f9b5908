import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { StoredEvent } from '../eventstore/port.js';

// Spans go through the API's global tracer: without a registered SDK it is the no-op tracer,
// whose spans record nothing and cost next to nothing.
const tracer = trace.getTracer('agent-ledger');
// The W3C format is read and written directly, so a client's traceparent reaches the event
// metadata even when this process exports nothing.
const w3c = new W3CTraceContextPropagator();
const NO_SDK = new ProxyTracerProvider().getDelegate();

/** Whether an SDK is registered: per-event work on hot paths is skipped when not. */
export function tracingOn(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NO_SDK;
}

/**
 * Registers the SDK when the standard OTEL_* variables ask for OTLP export (OTEL_TRACES_EXPORTER=otlp,
 * or an OTLP endpoint); the exporter reads its endpoint, headers and timeout from them too.
 * Off by default, and then the SDK is not even loaded. Returns what flushes and stops it at shutdown.
 */
export async function initTracing(serviceName: string): Promise<() => Promise<void>> {
  if (!otlpRequested(process.env)) return async () => {};
  const { registerOtlpTracing } = await import('./tracing-sdk.js');
  return registerOtlpTracing(serviceName);
}

function otlpRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim().toLowerCase());
  if (exporters.includes('none')) return false;
  if (exporters.includes('otlp')) return true;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** The context a W3C traceparent names (the root context when absent or malformed). */
export function contextOf(traceparent: unknown, base: Context = ROOT_CONTEXT): Context {
  if (typeof traceparent !== 'string') return base;
  return w3c.extract(base, { traceparent }, defaultTextMapGetter);
}

/** The span as a W3C traceparent; undefined for a span of no trace (no SDK and no incoming one). */
export function traceparentOf(span: Span): string | undefined {
  if (!isSpanContextValid(span.spanContext())) return undefined;
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

export interface Traced {
  span: Span;
  /** The context with the span active: the parent of the work done under it. */
  context: Context;
}

/** Starts a span under `parent`; attributes are built only when the span records. */
export function startSpan(name: string, parent: Context, options: { kind?: SpanKind; links?: Link[]; attributes?: () => Attributes } = {}): Traced {
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, links: options.links }, parent);
  if (options.attributes && span.isRecording()) span.setAttributes(options.attributes());
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends the span, marking it failed when `error` is given. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined && span.isRecording()) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** Runs `work` in a child span of `parent` (the active context by default), ended when it settles. */
export async function inSpan<T>(name: string, work: () => Promise<T>, options: { parent?: Context; links?: Link[] } = {}): Promise<T> {
  if (!tracingOn()) return work();
  const traced = startSpan(name, options.parent ?? context.active(), { links: options.links });
  try {
    const result = await context.with(traced.context, work);
    endSpan(traced.span);
    return result;
  } catch (error) {
    endSpan(traced.span, error);
    throw error;
  }
}

/** The synchronous inSpan (a decider's decide). */
export function inSpanSync<T>(name: string, work: () => T, parent?: Context): T {
  if (!tracingOn()) return work();
  const traced = startSpan(name, parent ?? context.active());
  try {
    const result = work();
    endSpan(traced.span);
    return result;
  } catch (error) {
    endSpan(traced.span, error);
    throw error;
  }
}

/** Links to the spans of these contexts (commands that share one append). */
export function linksTo(contexts: readonly (Context | undefined)[]): Link[] | undefined {
  if (!tracingOn()) return undefined;
  const links: Link[] = [];
  for (const each of contexts) {
    const spanContext = each && trace.getSpanContext(each);
    if (spanContext && isSpanContextValid(spanContext)) links.push({ context: spanContext });
  }
  return links;
}

/**
 * A span for handling a stored event, child of the span context the event carries (so the trace of
 * the command that appended it goes on, in this process or another); undefined when the event
 * carries none or nothing records.
 */
export function startEventSpan(name: string, event: StoredEvent, attributes: Attributes = {}): Traced | undefined {
  const traceparent = event.metadata.traceparent;
  if (typeof traceparent !== 'string' || !tracingOn()) return undefined;
  return startSpan(name, contextOf(traceparent), {
    kind: SpanKind.CONSUMER,
    attributes: () => ({
      ...attributes,
      'agent_ledger.event.type': event.type,
      'agent_ledger.event.id': event.id,
      'agent_ledger.event.stream': event.streamName,
      'agent_ledger.event.position': event.position.toString(),
      'agent_ledger.correlation_id': String(event.metadata.correlationId ?? ''),
      'agent_ledger.causation_id': String(event.metadata.causationId ?? ''),
    }),
  });
}
