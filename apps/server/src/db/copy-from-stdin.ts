import { finished } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';

/**
 * Leads a `copy … from stdin` statement whose one parameter is the data, in COPY's text format
 * (`copyRow`): a client of `PreparingClient` runs it as COPY, so that code that only holds a
 * Kysely handle (a transaction, say) can copy rows through it.
 */
export const COPY_FROM_STDIN = '/* copy from stdin */';

/** One row of COPY's text format: fields by tabs, `\N` for null, backslash escapes. */
export function copyRow(fields: readonly (string | null)[]): string {
  return `${fields.map((field) => (field === null ? '\\N' : escaped(field))).join('\t')}\n`;
}

function escaped(field: string): string {
  return field
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

/** Runs `text` on `client`, sending `data`; answers as a query result would. */
export async function copyIn(client: pg.Client, text: string, data: string) {
  const stream = client.query(copyStreams.from(text));
  stream.end(data);
  await finished(stream);
  return { command: 'COPY', rowCount: stream.rowCount, rows: [] };
}
