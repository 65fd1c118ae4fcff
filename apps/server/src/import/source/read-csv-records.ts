import type { SourceLine } from './read-lines.js';

/** One CSV record: its fields, the line it starts on, the byte offset just past it. */
export interface CsvRecord {
  fields: string[];
  /** The record as it is in the file. */
  text: string;
  line: number;
  endByte: number;
}

/**
 * Parses one CSV record (RFC 4180: comma-separated, fields in double quotes may hold commas,
 * line breaks and `""` for a quote). Returns null while a quoted field is still open, so the
 * caller joins the next line to it.
 */
export function parseCsvRecord(text: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

/** CSV records from lines; a quoted field spanning lines makes one record of them. */
export async function* readCsvRecords(lines: AsyncIterable<SourceLine>): AsyncGenerator<CsvRecord> {
  let pending = null as { text: string; line: number } | null;
  for await (const { text, line, endByte } of lines) {
    const joined: string = pending ? `${pending.text}\n${text}` : text;
    const fields = parseCsvRecord(joined);
    if (fields === null) {
      pending = { text: joined, line: pending?.line ?? line };
      continue;
    }
    const first = pending?.line ?? line;
    pending = null;
    if (joined.trim() === '') continue;
    yield { fields, text: joined, line: first, endByte };
  }
  if (pending) {
    throw new Error(`line ${pending.line}: a quoted CSV field is never closed`);
  }
}
