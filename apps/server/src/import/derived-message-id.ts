import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: one text for one content. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The id of an imported row that has none: `imp-` and the first 32 hex digits of the SHA-256
 * of the canonical message (the message after format conversion and mapping, keys sorted at
 * every level). Importing the same rows again, from the same file or another, derives the same
 * ids, so the database keeps each event once. Two rows with identical content are one event.
 */
export function derivedMessageId(message: Record<string, unknown>): string {
  const digest = createHash('sha256').update(canonicalJson(message)).digest('hex');
  return `imp-${digest.slice(0, 32)}`;
}
