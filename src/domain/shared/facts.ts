/**
 * Facts come from the pipeline; a missing one is a wiring bug, not a client error, so it is a
 * plain Error (HTTP 500) that names what the command needed.
 */
export function requireFact<Value>(value: Value | undefined, fact: string, command: string): Value {
  if (value === undefined) throw new Error(`the ${command} command needs facts.${fact}`);
  return value;
}
