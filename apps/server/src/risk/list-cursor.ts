import { isCanonicalInstant, LIMITS } from '@tenure/schema';
import { z } from 'zod';
import { decodePageCursor, encodePageCursor } from '../http/page-cursor.js';

/**
 * Where a page of `GET /v1/accounts` ended. An `asOf` list's cursor pins the first page's
 * `asOf`, so every page is computed on the same data (later events cannot move an account
 * between pages); every cursor names the query it belongs to, so it cannot be replayed against
 * another sort or filter.
 */
export interface ListCursor {
  asOf: string;
  /** Sort and filters, canonical form. */
  query: string;
  /** Sort key and id of the last account returned. */
  key: number | string | null;
  id: string;
  /**
   * A page of the current list (stored scores, which keep changing: keyset paging over them
   * can show an account that moved twice or not at all), rather than of a list pinned at asOf.
   */
  live?: true | undefined;
}

// A cursor is base64 JSON a client can edit: its asOf gets the checks of the asOf parameter.
const cursorSchema = z.object({
  asOf: z
    .string()
    .refine(isCanonicalInstant)
    .refine((asOf) => Date.parse(asOf) >= LIMITS.earliestTimestamp),
  query: z.string(),
  key: z.union([z.number(), z.string(), z.null()]),
  id: z.string(),
  live: z.literal(true).optional(),
});

export function encodeCursor(cursor: ListCursor): string {
  return encodePageCursor(cursor);
}

/** Decodes a cursor; a cursor that is damaged or belongs to another query is a 400. */
export function decodeCursor(text: string, query: string): ListCursor {
  return decodePageCursor(
    text,
    query,
    cursorSchema,
    'the cursor belongs to a different sort or filter',
  );
}
