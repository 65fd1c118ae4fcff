import { z } from 'zod';
import { decodePageCursor, encodePageCursor } from '../http/page-cursor.js';
import type { FeedPosition } from './alert-feed.sql.js';

/** A page of `GET /v1/alerts` ended here, for this query (filters in canonical form). */
interface FeedCursor extends FeedPosition {
  query: string;
}

const cursorSchema = z.object({
  query: z.string(),
  // As Postgres prints a timestamptz ('2026-12-06 15:47:13.123456+00'); it is read back by
  // Postgres, so anything else fails here rather than as a database error.
  at: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/),
  id: z.string().min(1).max(200),
});

export function encodeFeedCursor(cursor: FeedCursor): string {
  return encodePageCursor(cursor);
}

/** The position a cursor names; a damaged cursor, or one of another query, is a 400. */
export function decodeFeedCursor(text: string, query: string): FeedPosition {
  const { at, id } = decodePageCursor(
    text,
    query,
    cursorSchema,
    'the cursor belongs to different filters',
  );
  return { at, id };
}
