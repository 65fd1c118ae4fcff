import { isCanonicalInstant } from '@tenure/schema';

/** A position in the event order (timestamp, then message id), as an opaque cursor. */
export interface EventPosition {
  timestamp: string;
  messageId: string;
}

export function encodeCursor(position: EventPosition): string {
  return Buffer.from(JSON.stringify([position.timestamp, position.messageId])).toString(
    'base64url',
  );
}

/** The position of a cursor, or null when it is not one this server made. */
export function decodeCursor(cursor: string): EventPosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [timestamp, messageId] = value;
    if (typeof timestamp !== 'string' || typeof messageId !== 'string') return null;
    if (messageId.includes('\u0000')) return null;
    // Only the form encodeCursor writes: an edited `99999` would be a database error.
    if (!isCanonicalInstant(timestamp)) return null;
    return { timestamp, messageId };
  } catch {
    return null;
  }
}
