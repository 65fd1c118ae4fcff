import { rm, stat } from 'node:fs/promises';
import type { IngestResult } from '@tenure/schema';
import { CheckpointStore, type ImportTotals } from './checkpoint-store.js';
import { derivedMessageId } from './derived-message-id.js';
import type { FieldMapping } from './field-mapping.js';
import { type CsvRowConverter, csvRowConverter } from './formats/csv.format.js';
import { type JsonFormat, jsonRowConverter } from './formats/json-row-converter.js';
import { ImportError } from './import-error.js';
import type { ImportProgress } from './import-progress.js';
import { type RejectedRow, RejectsFile } from './rejects-file.js';
import type { ImportSink } from './sinks/import-sink.js';
import { openSource } from './source/open-source.js';
import { readCsvRecords } from './source/read-csv-records.js';
import { readLines } from './source/read-lines.js';

export type ImportFormat = JsonFormat | 'csv';

export interface ImportFileOptions {
  file: string;
  format: ImportFormat;
  mappings: FieldMapping[];
  sink: ImportSink;
  /** Checkpoint folder. */
  stateDir: string;
  rejectsPath: string;
  progress: ImportProgress;
  /** Aborted (Ctrl-C): stop reading, commit what is in flight, checkpoint, return. */
  signal?: AbortSignal | undefined;
  /** Batches in flight at once (reading overlaps writing). */
  inFlight?: number | undefined;
  /** false: ignore a checkpoint and read from the start. */
  resume?: boolean | undefined;
}

export interface ImportFileResult {
  file: string;
  totals: ImportTotals;
  interrupted: boolean;
  /** The line a checkpoint let this run start after (0: from the start). */
  resumedAfterLine: number;
  rejectsPath: string | null;
}

/** A row read from the input: its message, or why it could not become one. */
interface InputRow {
  line: number;
  endByte: number;
  text: string;
  message?: Record<string, unknown>;
  refusal?: { code: string; message: string };
}

interface Batch {
  rows: InputRow[];
  sent: Promise<IngestResult>;
}

const NOT_JSON = 'The line is not valid JSON';
const NOT_OBJECT = 'The line is not a JSON object';

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export const isCsvInput = (file: string, format: ImportFormat) =>
  format === 'csv' || (format === 'auto' && /\.csv(\.gz)?$/i.test(file));

/** The CSV header (first record) and the converter it and the mappings make. */
async function readCsvHeader(file: string, mappings: FieldMapping[]): Promise<CsvRowConverter> {
  const source = await openSource(file);
  const records = readCsvRecords(readLines(source.bytes));
  const first = await records.next();
  await records.return(undefined);
  if (first.done) throw new ImportError(`${file}: the CSV file is empty (no header row)`);
  return csvRowConverter(first.value.fields, mappings);
}

/**
 * Imports one file (or `-`, standard input) through `sink`:
 * read → convert → batch → send, with up to `inFlight` batches in flight, and after each
 * batch commits, in input order: its rejected rows appended to the rejects file, then the
 * checkpoint moved past it. So a kill at any moment leaves a checkpoint whose rows are all
 * committed; rows after it may be committed too, and are duplicates when resent. A finished
 * import clears its checkpoint.
 */
export async function importFile(options: ImportFileOptions): Promise<ImportFileResult> {
  const { file, sink, progress, signal } = options;
  const stdin = file === '-';
  const csv = isCsvInput(file, options.format);
  if (stdin && csv) throw new ImportError('CSV from standard input is not supported: pass a file');
  // The header is read (and every mapped column checked) before anything is written.
  const csvConverter = csv ? await readCsvHeader(file, options.mappings) : null;
  const jsonConverter = jsonRowConverter(
    options.format === 'csv' ? 'auto' : options.format,
    options.mappings,
  );

  const store = stdin
    ? null
    : await CheckpointStore.open(options.stateDir, file, {
        destination: sink.destination,
        format: options.format,
        mappings: options.mappings,
      });
  const checkpoint = options.resume === false ? null : await store?.read();
  const totals: ImportTotals = checkpoint?.totals ?? {
    rows: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
  };
  let committedLine = checkpoint?.line ?? 0;
  let committedByte = checkpoint?.endByte ?? 0;
  const rejects = await RejectsFile.open(options.rejectsPath, checkpoint?.rejectsBytes ?? 0);
  const source = await openSource(file, committedByte);
  // A gzip stream restarts from its beginning: its committed lines are read again and skipped.
  const lines = source.gzip
    ? readLines(source.bytes)
    : readLines(source.bytes, committedLine + 1, committedByte);
  const snapshot = () => ({
    file,
    totals,
    bytesRead: source.bytesRead(),
    totalBytes: source.totalBytes,
  });
  progress.begin(snapshot());

  const toRow = (text: string, line: number, endByte: number): InputRow | null => {
    if (text.trim() === '') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { line, endByte, text, refusal: { code: 'malformed_json', message: NOT_JSON } };
    }
    if (!isObject(parsed)) {
      return { line, endByte, text, refusal: { code: 'invalid_event', message: NOT_OBJECT } };
    }
    const message = jsonConverter(parsed);
    message.messageId ??= derivedMessageId(message);
    return { line, endByte, text, message };
  };

  async function* inputRows(): AsyncGenerator<InputRow> {
    if (csvConverter) {
      for await (const record of readCsvRecords(lines)) {
        if (record.line === 1 || record.line <= committedLine) continue;
        const message = csvConverter(record.fields);
        message.messageId ??= derivedMessageId(message);
        yield { line: record.line, endByte: record.endByte, text: record.text, message };
      }
      return;
    }
    for await (const { text, line, endByte } of lines) {
      if (line <= committedLine) continue;
      const row = toRow(text, line, endByte);
      if (row) yield row;
    }
  }

  const inFlight: Batch[] = [];
  const send = (rows: InputRow[]) => {
    const messages = rows.flatMap((row) => (row.message ? [row.message] : []));
    inFlight.push({
      rows,
      sent: messages.length > 0 ? sink.send(messages) : Promise.resolve(emptyResult()),
    });
  };
  const commitOldest = async () => {
    const batch = inFlight.shift()!;
    const result = await batch.sent;
    const refused = rejectedRows(batch.rows, result);
    await rejects.append(refused);
    const last = batch.rows[batch.rows.length - 1]!;
    totals.rows += batch.rows.length;
    totals.accepted += result.accepted;
    totals.duplicates += result.duplicates;
    totals.rejected += refused.length;
    committedLine = last.line;
    committedByte = last.endByte;
    await store?.save({
      line: committedLine,
      endByte: committedByte,
      rejectsBytes: rejects.length,
      totals,
    });
    progress.update(snapshot());
  };

  let readError: unknown = null;
  let lastLineRead = committedLine;
  let pending: InputRow[] = [];
  let pendingMessages = 0;
  try {
    for await (const row of inputRows()) {
      pending.push(row);
      lastLineRead = row.line;
      if (row.message) pendingMessages += 1;
      if (pendingMessages >= sink.batchEvents) {
        send(pending);
        pending = [];
        pendingMessages = 0;
        // Backpressure: reading waits while the sink is busy, so memory stays flat.
        if (inFlight.length >= (options.inFlight ?? 2)) await commitOldest();
      }
      if (signal?.aborted) break;
    }
  } catch (error) {
    readError = error;
  }
  try {
    if (pending.length > 0) send(pending);
    while (inFlight.length > 0) await commitOldest();
  } finally {
    await rejects.close();
  }
  progress.update(snapshot(), true);
  progress.finish();
  if (readError) {
    const what = source.gzip ? 'the gzip data is truncated or corrupt' : 'the input is unreadable';
    throw new ImportError(
      `${file}: ${what} after line ${lastLineRead} (${(readError as Error).message}); ` +
        `rows up to line ${committedLine} are committed and the checkpoint keeps them`,
      { cause: readError },
    );
  }
  const interrupted = Boolean(signal?.aborted);
  if (!interrupted) await store?.clear();
  const keepRejects = totals.rejected > 0 || (await sizeOf(options.rejectsPath)) > 0;
  if (!keepRejects) await rm(options.rejectsPath, { force: true });
  return {
    file,
    totals,
    interrupted,
    resumedAfterLine: checkpoint?.line ?? 0,
    rejectsPath: keepRejects ? options.rejectsPath : null,
  };
}

const emptyResult = (): IngestResult => ({ accepted: 0, duplicates: 0, rejected: [] });

const sizeOf = (path: string) =>
  stat(path).then(
    (info) => info.size,
    () => 0,
  );

/** The batch's rejected rows in input order: unreadable ones and those the API refused. */
function rejectedRows(rows: InputRow[], result: IngestResult): RejectedRow[] {
  const sentRows = rows.filter((row) => row.message);
  const refused: RejectedRow[] = [];
  for (const row of rows) {
    if (row.refusal) {
      refused.push({ line: row.line, ...row.refusal, path: null, messageId: null, row: row.text });
    }
  }
  for (const refusal of result.rejected) {
    const row = sentRows[refusal.index]!;
    refused.push({
      line: row.line,
      code: refusal.code,
      message: refusal.message,
      path: refusal.path,
      messageId: refusal.messageId,
      row: row.text,
    });
  }
  return refused.sort((a, b) => a.line - b.line);
}
