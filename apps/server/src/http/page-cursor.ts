import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/**
 * A keyset page's cursor: base64url JSON a client hands back. Every cursor names the query it
 * belongs to (filters in canonical form), so it cannot be replayed against another.
 */
export function encodePageCursor(cursor: { query: string }): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * Decodes a cursor against its schema: one that is damaged, or belongs to another query, is a
 * 400 (`mismatch` says what "another query" is for this list).
 *
 * @example
 * decodePageCursor(text, query, cursorSchema, 'the cursor belongs to different filters');
 */
export function decodePageCursor<T extends { query: string }>(
  text: string,
  query: string,
  schema: z.ZodType<T>,
  mismatch: string,
): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    throw new AppError('invalid_request', { message: 'query.cursor: not a cursor from this API' });
  }
  if (result.data.query !== query) {
    throw new AppError('invalid_request', { message: `query.cursor: ${mismatch}` });
  }
  return result.data;
}
