import { context, isSpanContextValid, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import type { CommandContext } from '../events/metadata.js';
import { contextOf, endSpan, startSpan, traceparentOf, tracingOn, type Traced } from '../observability/tracing.js';

export interface TracedCommand extends Traced {
  /** The command's context with the span's traceparent, which its events carry. */
  commandContext: CommandContext;
}

/**
 * Opens the command's span: under the active span (the request's, an agent's), or else under the
 * traceparent the command came with, so a trace continues even where this process records nothing.
 */
function startCommandSpan(commandType: string, command: CommandContext): TracedCommand {
  const active = context.active();
  const parent = trace.getSpan(active) || command.traceparent === undefined ? active : contextOf(command.traceparent, active);
  const traced = startSpan(`command ${commandType}`, parent, {
    attributes: () => ({
      'agent_ledger.command.type': commandType,
      'agent_ledger.command.id': command.commandId,
      'agent_ledger.correlation_id': command.correlationId,
      'agent_ledger.causation_id': command.causationId,
      'agent_ledger.actor': command.actor,
    }),
  });
  const traceparent = traceparentOf(traced.span);
  const { traceparent: _incoming, ...rest } = command;
  return { ...traced, commandContext: traceparent ? { ...rest, traceparent } : rest };
}

/** Without an SDK: no span, and the incoming traceparent goes on as it came (when well-formed). */
function passedOn(command: CommandContext): CommandContext {
  if (command.traceparent === undefined) return command;
  const { traceparent: incoming, ...rest } = command;
  const spanContext = trace.getSpanContext(contextOf(incoming));
  return spanContext && isSpanContextValid(spanContext) ? { ...rest, traceparent: traceparentOf(trace.wrapSpanContext(spanContext))! } : rest;
}

/** Runs a command in its span (active while it runs), ended with its outcome. */
export async function traceCommand<T>(commandType: string, command: CommandContext, work: (traced: CommandContext, trace: Context) => Promise<T>): Promise<T> {
  if (!tracingOn()) return work(passedOn(command), ROOT_CONTEXT);
  const traced = startCommandSpan(commandType, command);
  try {
    const result = await context.with(traced.context, () => work(traced.commandContext, traced.context));
    endSpan(traced.span);
    return result;
  } catch (error) {
    endSpan(traced.span, error);
    throw error;
  }
}
