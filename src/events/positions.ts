// Log positions are bigints inside the system and opaque decimal strings to clients.
export function formatPosition(position: bigint): string {
  return position.toString();
}

export function parsePosition(text: string): bigint | null {
  return /^\d{1,30}$/.test(text) ? BigInt(text) : null;
}

/** Fixed-width form whose string order is the numeric order: used as a sortable read-model key. */
export function positionKey(position: bigint): string {
  return position.toString().padStart(20, '0');
}
