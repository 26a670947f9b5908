// Stream names are `<aggregate>-<ulid>`; the API's id is the ulid.
export function streamName(aggregateType: string, id: string): string {
  return `${aggregateType}-${id}`;
}

export function parseStreamName(name: string): { aggregateType: string; id: string } {
  const dash = name.indexOf('-');
  if (dash < 0) return { aggregateType: name, id: '' };
  return { aggregateType: name.slice(0, dash), id: name.slice(dash + 1) };
}
