// `pnpm bench:detection`: what alert detection costs a project, through the real server.
//
// Detection runs for every project (alerts/alert-jobs.ts): each run scores the project's
// accounts a slice of 1,000 at a time and compares them with what the early-warnings feed (and
// each webhook) last saw. This starts `tenure serve` (jobs off) on a seeded Postgres database
// and times `POST /v1/alerts/detect`, the job's own step, BENCH_DETECT_RUNS times in a row: the
// first run is the feed's first look (a baseline state for every account, the project norms
// computed cold), the later ones what the minute job costs on a steady project. Reports the
// server's peak RSS meanwhile, and records the run in docs/benchmark-results.ndjson. The score
// keeper is off unless BENCH_DETECT_SCORE_KEEPING=on (its first full pass over a freshly seeded
// database would run beside the detection measured).
//
// The database is seeded once beforehand, e.g. 20,000 accounts (about 5 minutes):
//   createdb bench_detect_20k
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_detect_20k \
//     node apps/server/dist/cli.js seed --accounts 20000 --days 14 --seed 18
// then BENCH_DETECT_DATABASE=bench_detect_20k BENCH_DETECT_SECRET=<its secret key>.
import os from 'node:os';
import {
  CLI,
  databaseUrl,
  recordRun,
  rssMb,
  startProcess,
  stopProcess,
  summary,
} from './bench-kit.mjs';

const DATABASE = process.env.BENCH_DETECT_DATABASE;
const SECRET = process.env.BENCH_DETECT_SECRET;
const RUNS = Number(process.env.BENCH_DETECT_RUNS ?? 4);
const PORT = Number(process.env.BENCH_DETECT_PORT ?? 8198);
if (!DATABASE || !SECRET) {
  console.error(
    'Set BENCH_DETECT_DATABASE (a seeded database) and BENCH_DETECT_SECRET (its secret key).',
  );
  process.exit(2);
}

const origin = `http://127.0.0.1:${PORT}`;
const server = await startProcess(
  CLI,
  ['serve'],
  {
    DATABASE_URL: databaseUrl(DATABASE),
    PORT: String(PORT),
    HOST: '127.0.0.1',
    TENURE_JOBS_INTERVAL_MINUTES: '0',
    TENURE_SCORE_KEEPING: process.env.BENCH_DETECT_SCORE_KEEPING ?? 'off',
  },
  `${origin}/readyz`,
);
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, rssMb(server.pid) ?? 0);
}, 200);
const headers = { authorization: `Bearer ${SECRET}` };
const load = [os.loadavg()[0]];
const runs = [];
try {
  for (let run = 1; run <= RUNS; run += 1) {
    const started = performance.now();
    const response = await fetch(`${origin}/v1/alerts/detect`, { method: 'POST', headers });
    const body = await response.text();
    const seconds = (performance.now() - started) / 1000;
    if (response.status !== 200)
      throw new Error(`POST /v1/alerts/detect: ${response.status} ${body}`);
    runs.push({ run, seconds: Number(seconds.toFixed(2)), answer: JSON.parse(body) });
    console.log(`run ${run}: ${seconds.toFixed(1)} s ${body}`);
  }
  load.push(os.loadavg()[0]);
  const steady = summary(runs.slice(1).map((r) => r.seconds));
  const figures = {
    firstRunSeconds: runs[0].seconds,
    steadySeconds: steady,
    serverPeakRssMb: peak,
    loadAverage: { before: load[0], after: load[1] },
    runs,
  };
  recordRun({ name: 'detection', figures });
  console.log(
    `\nDetection on ${DATABASE}: first look ${runs[0].seconds} s, ` +
      `then ${steady.median} s (min ${steady.min}, max ${steady.max}); server peak RSS ${peak} MB; ` +
      `load ${load[0].toFixed(1)} → ${load[1].toFixed(1)}`,
  );
} finally {
  clearInterval(sampler);
  await stopProcess(server);
}
