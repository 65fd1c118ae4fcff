// pnpm bench:import — `tenure import` of a generated NDJSON file (1,000,000 lines by default)
// next to the ingest API's own throughput on the same lines in the same run (tenure serve,
// POST /v1/batch), with the importer's memory over time; then a Stripe backfill of 100,000
// subscriptions answered by a local fake of the Stripe API. See shared/bench.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  appendToBenchmarks,
  CLI,
  commit,
  dropDatabase,
  machine,
  post,
  recordRun,
  recreateDatabase,
  rssMb,
  startProcess,
  stopProcess,
  summary,
} from './bench-kit.mjs';
import { startFakeStripe } from './fake-stripe.mjs';

const LINES = Number(process.env.BENCH_IMPORT_LINES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STRIPE_SUBSCRIPTIONS = Number(process.env.BENCH_STRIPE_SUBSCRIPTIONS ?? 100_000);
const STRIPE_ROUNDS = Number(process.env.BENCH_STRIPE_ROUNDS ?? ROUNDS);
const API_BATCH = 500;
const API_CONCURRENCY = 8;
// Ports of this benchmark (shared machine: each engineer has a range).
const API_PORT = Number(process.env.BENCH_API_PORT ?? 8201);
const STRIPE_PORT = Number(process.env.BENCH_STRIPE_PORT ?? 8202);
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const FEATURES = ['reports', 'dashboards', 'exports', 'alerts', 'api', 'sso', 'billing', 'search'];

/** An RSS series in one line: its range, and every 10th sample to show its shape. */
function rssLine(series) {
  const every = series.filter((_, i) => i % 10 === 0).join(' ');
  return `${series.length} samples, min ${Math.min(...series)}, max ${Math.max(...series)}; every 10th: ${every}`;
}

async function generate(path) {
  const out = createWriteStream(path);
  const start = Date.UTC(2024, 0, 1);
  for (let n = 0; n < LINES; n += 1) {
    const user = n % 5000;
    const line = JSON.stringify({
      type: 'track',
      messageId: `bench-${n}`,
      userId: `user-${user}`,
      event: n % 10 === 0 ? 'login' : 'feature_used',
      properties: { feature: FEATURES[n % FEATURES.length], plan: 'team', source: 'web' },
      context: { groupId: `account-${user % 1000}`, library: { name: 'bench', version: '1' } },
      timestamp: new Date(start + n * 15_000).toISOString(),
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Runs the CLI to completion, sampling its RSS every second. */
async function runCli(args, env) {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const rss = [];
  const sampler = setInterval(() => {
    const mb = rssMb(child.pid);
    if (mb !== null) rss.push(mb);
  }, 1000);
  const [code] = await once(child, 'exit');
  clearInterval(sampler);
  if (code !== 0 && code !== 3) throw new Error(`tenure ${args[0]} exited ${code}: ${stdout}`);
  return { seconds: (performance.now() - started) / 1000, rss, stdout };
}

async function createProject(url) {
  const { stdout } = await runCli(['project', 'create', '--name', 'Bench', '--json'], {
    DATABASE_URL: url,
  });
  return JSON.parse(stdout).projectId;
}

async function importRound(file, state) {
  const url = await recreateDatabase('tenure_bench_import');
  const projectId = await createProject(url);
  const run = await runCli(['import', file, '--project', projectId, '--state-dir', state], {
    DATABASE_URL: url,
  });
  await dropDatabase('tenure_bench_import');
  return {
    rate: LINES / run.seconds,
    seconds: run.seconds,
    rss: run.rss,
    stdout: run.stdout.trim(),
  };
}

/** The ingest API on the same lines: batches of 500, 8 in flight. */
async function apiRound(file) {
  const url = await recreateDatabase('tenure_bench_import_api');
  const server = await startProcess(
    CLI,
    ['serve'],
    {
      DATABASE_URL: url,
      PORT: String(API_PORT),
      HOST: '127.0.0.1',
      TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
      TENURE_JOBS_INTERVAL_MINUTES: '0',
      TENURE_RATE_LIMIT_EVENTS_PER_SECOND: '100000000',
      TENURE_RATE_LIMIT_BURST: '1000000000',
    },
    `http://127.0.0.1:${API_PORT}/readyz`,
  );
  try {
    const project = await fetch(`http://127.0.0.1:${API_PORT}/v1/admin/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench' }),
    }).then((response) => response.json());
    const headers = {
      authorization: `Basic ${Buffer.from(`${project.writeKey}:`).toString('base64')}`,
    };
    const lines = createInterface({ input: createReadStream(file) })[Symbol.asyncIterator]();
    const statuses = {};
    const rss = [];
    const sampler = setInterval(() => rss.push(rssMb(server.pid)), 1000);
    const started = performance.now();
    let done = false;
    // Each worker reads its next 500 lines (reading is serialised by the shared iterator).
    let reading = Promise.resolve();
    const nextBody = () => {
      const result = reading.then(async () => {
        const batch = [];
        while (batch.length < API_BATCH && !done) {
          const next = await lines.next();
          if (next.done) done = true;
          else batch.push(next.value);
        }
        return batch.length ? `{"batch":[${batch.join(',')}]}` : null;
      });
      reading = result.then(() => {});
      return result;
    };
    await Promise.all(
      Array.from({ length: API_CONCURRENCY }, async () => {
        for (;;) {
          const body = await nextBody();
          if (body === null) return;
          for (;;) {
            const { status } = await post(`http://127.0.0.1:${API_PORT}/v1/batch`, body, headers);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status !== 503 && status !== 429) break;
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    return { rate: LINES / seconds, seconds, statuses, rss };
  } finally {
    await stopProcess(server);
    await dropDatabase('tenure_bench_import_api');
  }
}

async function stripeRound(state) {
  const stop = await startFakeStripe(STRIPE_PORT, STRIPE_SUBSCRIPTIONS);
  const url = await recreateDatabase('tenure_bench_stripe');
  try {
    const projectId = await createProject(url);
    const run = await runCli(
      ['import', 'stripe', '--project', projectId, '--state-dir', state, '--restart'],
      {
        DATABASE_URL: url,
        STRIPE_API_KEY: 'sk_test_bench',
        STRIPE_API_BASE: `http://127.0.0.1:${STRIPE_PORT}`,
      },
    );
    return { seconds: run.seconds, rss: run.rss, stdout: run.stdout.trim() };
  } finally {
    await stop();
    await dropDatabase('tenure_bench_stripe');
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tenure-bench-import-'));
try {
  const file = join(dir, 'events.ndjson');
  console.log(`generating ${LINES.toLocaleString('en-US')} lines…`);
  await generate(file);
  const rounds = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Alternate which goes first, so neither always gets the warmer machine.
    const first = round % 2 === 1 ? 'import' : 'api';
    const result = {};
    for (const which of first === 'import' ? ['import', 'api'] : ['api', 'import']) {
      result[which] =
        which === 'import'
          ? await importRound(file, join(dir, `state-${round}`))
          : await apiRound(file);
    }
    const ratio = result.import.rate / result.api.rate;
    console.log(
      `round ${round}: import ${Math.round(result.import.rate)} rows/s (${result.import.seconds.toFixed(1)} s), ` +
        `API ${Math.round(result.api.rate)} events/s (${result.api.seconds.toFixed(1)} s), ratio ${ratio.toFixed(2)}, ` +
        `import RSS MB ${result.import.rss.join(' ')}`,
    );
    rounds.push({ ...result, ratio });
  }
  const stripeRounds = [];
  for (let round = 1; round <= STRIPE_ROUNDS; round += 1) {
    const result = await stripeRound(join(dir, `stripe-${round}`));
    console.log(`stripe round ${round}: ${result.seconds.toFixed(1)} s — ${result.stdout}`);
    stripeRounds.push(result);
  }

  const importRates = summary(rounds.map((r) => r.import.rate));
  const apiRates = summary(rounds.map((r) => r.api.rate));
  const ratios = summary(rounds.map((r) => r.ratio));
  const stripeSeconds = summary(stripeRounds.map((r) => r.seconds));
  const rssSeries = rounds.map((r) => r.import.rss);
  const date = new Date().toISOString().slice(0, 10);
  const info = machine();
  const sha = commit();
  const figures = {
    lines: LINES,
    rounds: ROUNDS,
    importRowsPerSecond: importRates,
    apiEventsPerSecond: apiRates,
    ratio: ratios,
    importRssMb: rssSeries.map((series) => ({
      min: Math.min(...series),
      max: Math.max(...series),
    })),
    stripe: { subscriptions: STRIPE_SUBSCRIPTIONS, rounds: STRIPE_ROUNDS, seconds: stripeSeconds },
  };
  recordRun({ name: 'import', date, commit: sha, machine: info, figures });
  const fmt = (s, digits = 0) =>
    `${s.median.toFixed(digits)} (min ${s.min.toFixed(digits)}, max ${s.max.toFixed(digits)})`;
  appendToBenchmarks(
    [
      `## Import — ${date}, commit ${sha}`,
      '',
      `Machine: ${info.cores} cores, ${info.memoryGb} GiB, Node ${info.node}, calibration ${info.calibrationMs} ms. ` +
        `Postgres on 127.0.0.1 (shared with other work). Command: ` +
        `\`BENCH_IMPORT_LINES=${LINES} BENCH_ROUNDS=${ROUNDS} BENCH_STRIPE_SUBSCRIPTIONS=${STRIPE_SUBSCRIPTIONS} ` +
        `BENCH_STRIPE_ROUNDS=${STRIPE_ROUNDS} pnpm bench:import\`.`,
      '',
      '| | median (min, max) |',
      '|---|---|',
      `| \`tenure import\` of ${LINES.toLocaleString('en-US')} NDJSON lines, rows/s (wall, process start to exit) | ${fmt(importRates)} |`,
      `| ingest API on the same lines (POST /v1/batch, 500 a batch, 8 in flight), events/s | ${fmt(apiRates)} |`,
      `| ratio import / API (target ≥ 0.80) | ${fmt(ratios, 2)} |`,
      `| Stripe backfill of ${STRIPE_SUBSCRIPTIONS.toLocaleString('en-US')} subscriptions (local fake API), s (target < 300) | ${fmt(stripeSeconds, 1)} |`,
      '',
      'Importer RSS (MB, one sample a second), per round:',
      '',
      ...rssSeries.map((series, i) => `- round ${i + 1}: ${rssLine(series)}`),
      `- Stripe backfill, round 1: ${stripeRounds[0] ? rssLine(stripeRounds[0].rss) : 'n/a'}`,
    ].join('\n'),
  );
  console.log(JSON.stringify(figures, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
