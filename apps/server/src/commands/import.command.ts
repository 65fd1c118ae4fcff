import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { type FieldMapping, loadMappingFile, parseMapOptions } from '../import/field-mapping.js';
import { JSON_FORMATS } from '../import/formats/json-row-converter.js';
import { type ImportFileResult, type ImportFormat, importFile } from '../import/import-file.js';
import { ImportProgress } from '../import/import-progress.js';
import { DirectSink } from '../import/sinks/direct-sink.js';
import { HttpSink } from '../import/sinks/http-sink.js';
import type { ImportSink } from '../import/sinks/import-sink.js';
import type { Command } from './command.js';
import { openMigratedDatabase } from './open-project-database.js';
import { UsageError } from './usage-error.js';

const options = {
  project: { type: 'string' },
  url: { type: 'string' },
  key: { type: 'string' },
  'write-key': { type: 'string' },
  format: { type: 'string', default: 'auto' },
  map: { type: 'string', multiple: true, default: [] as string[] },
  mapping: { type: 'string' },
  rejects: { type: 'string' },
  'state-dir': { type: 'string', default: '.tenure-import' },
  restart: { type: 'boolean', default: false },
} as const;

const USAGE = `Usage: tenure import FILE… (--project P | --url U --key K) [options]

Imports history from Segment, Mixpanel, Amplitude or CSV files, exactly once and resumable
(docs/import.md). Stripe subscriptions: tenure import stripe --project P.
  FILE                 NDJSON or CSV, plain or gzip (detected by its bytes); - is standard input
  --project P          Write straight into this project on the configured database
                       (DATABASE_URL / TENURE_DATA_DIR); trusted like the secret key
  --url U --key K      Send to a Tenure server's POST /v1/batch instead. Revenue (subscription_*
                       events, mrr/seats/... traits) needs the project's secret key there: a
                       write key stores behaviour only
  --write-key K        The same as --key
  --format F           auto (default: by each row's shape; .csv files as CSV), segment,
                       mixpanel, amplitude, csv
  --map SOURCE=TARGET  Column (CSV) or dot path (JSON) to message path; repeatable
  --mapping FILE       The same as a JSON object {"column": "message.path"}
  --rejects FILE       Where rejected rows go (default: <file>.rejects.ndjson here)
  --state-dir DIR      Checkpoints (default .tenure-import)
  --restart            Ignore a checkpoint and read from the start
Exit code: 0 all rows stored (or already there), 3 rows were rejected, 130 interrupted,
1 error, 2 a wrong command line.`;

const FORMATS: readonly string[] = [...JSON_FORMATS, 'csv'];

async function openSink(values: {
  project?: string | undefined;
  url?: string | undefined;
  key?: string | undefined;
  'write-key'?: string | undefined;
}): Promise<ImportSink> {
  const key = values.key ?? values['write-key'];
  if (values.url) {
    if (!key) {
      throw new UsageError('--url needs --key (a write key, or the secret key for revenue)');
    }
    return new HttpSink(values.url, key, (status, seconds) =>
      process.stderr.write(`\n${values.url} answered ${status}: waiting ${seconds} s\n`),
    );
  }
  if (!values.project) throw new UsageError('Say where to import: --project P, or --url and --key');
  const database = await openMigratedDatabase();
  return DirectSink.open(database, values.project).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
}

function summary(result: ImportFileResult): string {
  const { totals } = result;
  const resumed =
    result.resumedAfterLine > 0 ? ` (resumed after line ${result.resumedAfterLine})` : '';
  const state = result.interrupted ? 'interrupted; run the same command to resume' : 'done';
  const lines = [
    `${result.file}: ${state}${resumed}: ${totals.rows.toLocaleString('en-US')} rows, ` +
      `${totals.accepted.toLocaleString('en-US')} accepted, ` +
      `${totals.duplicates.toLocaleString('en-US')} duplicates, ` +
      `${totals.rejected.toLocaleString('en-US')} rejected`,
  ];
  if (result.rejectsPath) lines.push(`  rejected rows: ${result.rejectsPath}`);
  return lines.join('\n');
}

/**
 * `tenure import FILE… --project P`: history from Segment, Mixpanel, Amplitude or CSV files,
 * exactly once and resumable (docs/import.md). `tenure import stripe` backfills Stripe.
 */
async function importFiles(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  if (positionals.length === 0) throw new UsageError('Name a file to import');
  if (!FORMATS.includes(values.format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  }
  if (values.rejects && positionals.length > 1) {
    throw new UsageError('--rejects names one file: import one input at a time with it');
  }
  const mappings: FieldMapping[] = [
    ...(values.mapping ? await loadMappingFile(values.mapping) : []),
    ...parseMapOptions(values.map),
  ];
  const sink = await openSink(values);
  // Ctrl-C: the batches in flight are committed and the checkpoint written before exiting.
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let rejected = 0;
  try {
    for (const file of positionals) {
      const result = await importFile({
        file,
        format: values.format as ImportFormat,
        mappings,
        sink,
        stateDir: values['state-dir'],
        rejectsPath: values.rejects ?? `${file === '-' ? 'stdin' : basename(file)}.rejects.ndjson`,
        progress: new ImportProgress(),
        signal: interrupt.signal,
        resume: !values.restart,
      });
      console.log(summary(result));
      rejected += result.totals.rejected;
      if (result.interrupted) return 130;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sink.close();
    if (sink instanceof HttpSink && sink.callsWithoutRevenueTraits > 0) {
      console.error(
        `${sink.callsWithoutRevenueTraits.toLocaleString('en-US')} group/identify calls were ` +
          'stored without their revenue traits (mrr, seats, interval, status, churnedAt, ' +
          "createdAt): the key is the public write key. Import them with the project's " +
          'secret key.',
      );
    }
  }
  return rejected > 0 ? 3 : 0;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import history from Segment, Mixpanel, Amplitude or CSV files (docs/import.md)',
  usage: USAGE,
  options,
  positionals: true,
  run: importFiles,
};
