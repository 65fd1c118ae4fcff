// pnpm bench:heavy-lists — memory and answers under ten concurrent account lists, each with a
// different asOf (the #15 attack), with the heavy-query limits (TENURE_HEAVY_QUERIES=4,
// _PER_PROJECT=2, the defaults) next to the same server with the limits lifted (256): the
// reference is the unbounded behaviour. Each round starts a fresh server, so its peak RSS
// (VmHWM) is that round's. Real Postgres (DATABASE_URL or the local server). See shared/bench.md.
import { appendFileSync, readFileSync } from 'node:fs';
import {
  ADMIN_URL,
  CLI,
  commit,
  dropDatabase,
  machine,
  ROOT,
  recreateDatabase,
  startProcess,
  stopProcess,
  summary,
} from './bench-kit.mjs';

const ACCOUNTS = Number(process.env.BENCH_HEAVY_ACCOUNTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_HEAVY_ROUNDS ?? 3);
const PORT = Number(process.env.BENCH_HEAVY_PORT ?? 8_110);
const DATABASE = 'tenure_bench_heavy_lists';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const DAY = 86_400_000;

const peakRssMb = (pid) =>
  Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);

async function serve(url, limits) {
  return startProcess(
    CLI,
    ['serve'],
    {
      DATABASE_URL: url,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
      TENURE_JOBS_INTERVAL_MINUTES: '0',
      ...limits,
    },
    `http://127.0.0.1:${PORT}/readyz`,
  );
}

async function seed(url) {
  const child = await serve(url, {});
  const base = `http://127.0.0.1:${PORT}`;
  const keys = await (
    await fetch(`${base}/v1/admin/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'heavy lists' }),
    })
  ).json();
  const auth = `Basic ${Buffer.from(`${keys.secretKey}:`).toString('base64')}`;
  const now = Date.now();
  const messages = [];
  for (let a = 0; a < ACCOUNTS; a += 1) {
    messages.push({
      type: 'group',
      userId: `u${a}`,
      groupId: `acct-${a}`,
      traits: { name: `Account ${a}`, plan: a % 3 ? 'pro' : 'team', mrr: 50 + (a % 900), seats: 5 },
      timestamp: new Date(now - 120 * DAY).toISOString(),
      messageId: `g${a}`,
    });
    for (let d = 0; d < 4; d += 1) {
      messages.push({
        type: 'track',
        event: d % 2 ? 'login' : 'feature_used',
        properties: d % 2 ? {} : { feature: `f${a % 6}` },
        userId: `u${a}`,
        context: { groupId: `acct-${a}` },
        timestamp: new Date(now - ((a + d * 17) % 90) * DAY).toISOString(),
        messageId: `e${a}-${d}`,
      });
    }
  }
  for (let i = 0; i < messages.length; i += 2_500) {
    const response = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: messages.slice(i, i + 2_500) }),
    });
    if (!response.ok) throw new Error(`seed: ${response.status} ${await response.text()}`);
  }
  await stopProcess(child);
  return keys.secretKey;
}

async function round(url, secretKey, limits) {
  const child = await serve(url, limits);
  const before = peakRssMb(child.pid);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: 10 }, async (_, i) => {
      const asOf = new Date(Date.now() - (i + 1) * DAY).toISOString();
      const response = await fetch(`http://127.0.0.1:${PORT}/v1/accounts?sort=risk&asOf=${asOf}`, {
        headers: { authorization: `Bearer ${secretKey}` },
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const peak = peakRssMb(child.pid);
  await stopProcess(child);
  return {
    baselineMb: before,
    peakMb: peak,
    seconds,
    ok: answers.filter((s) => s === 200).length,
    overloaded: answers.filter((s) => s === 503).length,
  };
}

const url = await recreateDatabase(DATABASE);
try {
  const secretKey = await seed(url);
  const modes = {
    limited: {},
    unlimited: { TENURE_HEAVY_QUERIES: '256', TENURE_HEAVY_QUERIES_PER_PROJECT: '256' },
  };
  const results = { limited: [], unlimited: [] };
  for (let r = 0; r < ROUNDS; r += 1) {
    // Alternate, so that a noisy moment of the machine hits both modes.
    for (const [mode, limits] of Object.entries(modes)) {
      results[mode].push(await round(url, secretKey, limits));
      console.log(mode, JSON.stringify(results[mode].at(-1)));
    }
  }
  const figures = Object.fromEntries(
    Object.entries(results).map(([mode, runs]) => [
      mode,
      {
        peakMb: summary(runs.map((run) => run.peakMb)),
        baselineMb: summary(runs.map((run) => run.baselineMb)),
        seconds: summary(runs.map((run) => run.seconds)),
        ok: runs.map((run) => run.ok),
        overloaded: runs.map((run) => run.overloaded),
      },
    ]),
  );
  const line = {
    name: 'heavy-lists',
    date: new Date().toISOString(),
    commit: commit(),
    machine: machine(),
    accounts: ACCOUNTS,
    figures,
    database: ADMIN_URL.replace(/\/\/[^@]*@/, '//'),
  };
  console.log(JSON.stringify(line));
  appendFileSync(
    new URL('docs/benchmark-results.ndjson', `file://${ROOT}`),
    `${JSON.stringify(line)}\n`,
  );
} finally {
  await dropDatabase(DATABASE);
}
