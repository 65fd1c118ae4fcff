// pnpm bench:export — streams a 1,000,000-event export (NDJSON and CSV) over HTTP from a
// Tenure server on real Postgres and samples the server's memory while it does, to show that
// an export of any size runs in constant memory. See shared/bench.md.
import pg from 'pg';
import {
  appendToBenchmarks,
  CLI,
  commit,
  dropDatabase,
  machine,
  recordRun,
  recreateDatabase,
  rssMb,
  startProcess,
  stopProcess,
} from './bench-kit.mjs';

const EVENTS = Number(process.env.BENCH_EXPORT_EVENTS ?? 1_000_000);
const PORT = 18_400;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const DATABASE = 'tenure_bench_export';
const MONTHS = 10; // January to October 2026

/** Creates the monthly partitions through the API, then bulk-inserts generated events. */
async function load(url, base, projectId, writeKey) {
  const seedBatch = Array.from({ length: MONTHS }, (_, month) => ({
    type: 'track',
    event: 'partition_seed',
    userId: 'seed',
    messageId: `partition-${month}`,
    timestamp: new Date(Date.UTC(2026, month, 15)).toISOString(),
  }));
  const response = await fetch(`${base}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ batch: seedBatch }),
  });
  if (!response.ok) throw new Error(`seed batch failed: ${response.status}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  await client.query(
    `insert into events (project_id, timestamp, message_id, type, event, user_id, account_id,
       properties, context, received_at)
     select $1, timestamptz '2026-01-01' + (n * interval '1 second') * (${MONTHS} * 26 * 86400 / $2::float8),
       'bulk-' || n, 'track', case when n % 3 = 0 then 'login' else 'feature_used' end,
       'user-' || (n % 5000), 'account-' || (n % 1000),
       jsonb_build_object('feature', 'reports', 'plan', 'pro', 'note', 'comma, "quote"'),
       jsonb_build_object('groupId', 'account-' || (n % 1000), 'library',
         jsonb_build_object('name', 'tenure-sdk', 'version', '0.1.0')),
       now()
     from generate_series(1, $2) as n`,
    [projectId, EVENTS],
  );
  await client.query('analyze events');
  await client.end();
  return (performance.now() - started) / 1000;
}

/** Reads the whole export, sampling the server's RSS every 100 ms. */
async function measure(base, secretKey, accept, pid) {
  const samples = [];
  const timer = setInterval(() => samples.push(rssMb(pid) ?? 0), 100);
  const before = rssMb(pid);
  const started = performance.now();
  const response = await fetch(`${base}/v1/events`, {
    headers: { authorization: `Bearer ${secretKey}`, accept },
  });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  return {
    status: response.status,
    lines,
    megabytes: Math.round(bytes / 2 ** 20),
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round((EVENTS + MONTHS) / seconds),
    rssBeforeMb: before,
    rssPeakMb: Math.max(...samples),
    rssLastMb: samples.at(-1),
  };
}

const url = await recreateDatabase(DATABASE);
const base = `http://127.0.0.1:${PORT}`;
const server = await startProcess(
  CLI,
  ['serve'],
  {
    PORT: String(PORT),
    HOST: '127.0.0.1',
    DATABASE_URL: url,
    TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
    TENURE_JOBS_INTERVAL_MINUTES: '0',
  },
  `${base}/readyz`,
);
try {
  const project = await fetch(`${base}/v1/admin/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'export bench' }),
  }).then((response) => response.json());
  console.log(`Loading ${EVENTS.toLocaleString('en')} events...`);
  const loadSeconds = await load(url, base, project.projectId, project.writeKey);
  console.log(`  loaded in ${loadSeconds.toFixed(1)} s`);
  const results = {};
  for (const [name, accept] of [
    ['NDJSON', 'application/x-ndjson'],
    ['CSV', 'text/csv'],
  ]) {
    results[name] = await measure(base, project.secretKey, accept, server.pid);
    console.log(name, results[name]);
  }
  const rows = Object.entries(results).map(
    ([name, r]) =>
      `| ${name} | ${r.lines.toLocaleString('en')} | ${r.megabytes} | ${r.seconds} | ` +
      `${r.rowsPerSecond.toLocaleString('en')} | ${r.rssBeforeMb} | ${r.rssPeakMb} |`,
  );
  const m = machine();
  appendToBenchmarks(
    [
      `## Export: ${EVENTS.toLocaleString('en')} events (${new Date().toISOString().slice(0, 10)}, commit ${commit()})`,
      '',
      `\`pnpm bench:export\`: \`GET /v1/events\` streamed over HTTP from a server on Postgres to a`,
      `client that reads the whole body; the server's RSS sampled every 100 ms. ${m.cores} cores,`,
      `${m.memoryGb} GB, Node ${m.node}, calibration ${m.calibrationMs} ms. Lines include the CSV header.`,
      '',
      '| Format | Lines | MB | Seconds | Rows/s | RSS before (MB) | RSS peak (MB) |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n'),
  );
  recordRun({
    name: 'export',
    machine: m,
    figures: { events: EVENTS, loadSeconds, formats: results },
  });
} finally {
  await stopProcess(server);
  await dropDatabase(DATABASE);
}
