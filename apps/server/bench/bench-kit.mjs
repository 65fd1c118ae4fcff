// Shared helpers of the benchmark scripts: child servers, HTTP load, statistics, reporting.
import { execSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * BENCH_ICU_LOCALE (e.g. `en-US`) makes the database with that ICU locale as its default
 * collation, as managed Postgres services often do, instead of the server's default.
 */
export async function recreateDatabase(name) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  const locale = process.env.BENCH_ICU_LOCALE;
  const options = locale
    ? ` template template0 locale_provider icu icu_locale ${pg.escapeLiteral(locale)}`
    : '';
  await client.query(`create database ${name}${options}`);
  await client.end();
  return databaseUrl(name);
}

export async function dropDatabase(name) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
}

/** Starts `node <script> <args>` and resolves once `url` answers 200. */
export async function startProcess(script, args, env, readyUrl) {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 600; i += 1) {
    try {
      const response = await fetch(readyUrl);
      if (response.ok) return child;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${script} did not become ready at ${readyUrl}`);
}

export async function stopProcess(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const CLOCK_TICKS_PER_S = 100;

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** Pids of every Postgres server process on the machine (backends and background workers). */
function postgresPids() {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
}

/**
 * Starts counting CPU time of the server process, of Postgres and of this (load generator)
 * process; the returned function gives the seconds each used since. Postgres is every postgres
 * process on the machine, so other databases' work would count too: run benchmarks alone.
 */
export function cpuSplit(serverPid) {
  const pgBefore = new Map(postgresPids().map((pid) => [pid, cpuSecondsOf(pid)]));
  const serverBefore = serverPid ? cpuSecondsOf(serverPid) : 0;
  const loadBefore = process.cpuUsage();
  return () => {
    let postgres = 0;
    for (const pid of postgresPids()) postgres += cpuSecondsOf(pid) - (pgBefore.get(pid) ?? 0);
    const load = process.cpuUsage(loadBefore);
    return {
      server: serverPid ? cpuSecondsOf(serverPid) - serverBefore : 0,
      postgres,
      loadGenerator: (load.user + load.system) / 1e6,
    };
  };
}

/** Resident memory of a process, in MB (from /proc). */
export function rssMb(pid) {
  try {
    // Read directly: spawning `grep` five times a second would load the machine measured.
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(status.match(/VmRSS:\s*(\d+)/)[1]) / 1024);
  } catch {
    return null;
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs a body; resolves with the status and latency in ms. */
export function post(url, body, headers = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...headers,
      },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ status: response.statusCode, ms: performance.now() - started }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Closed loop: `concurrency` workers send the prepared `bodies` as fast as they are answered.
 * Bodies are built before the clock starts, as the COPY reference's rows are.
 */
export async function closedLoop({ url, headers, bodies, concurrency }) {
  let next = 0;
  const statuses = {};
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const { status } = await post(url, bodies[i], headers);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, statuses };
}

/** Open loop: a request every 1/rate s for `seconds`, whatever the answers; latencies in ms. */
export async function openLoop({ url, headers, rate, seconds, makeBody }) {
  const total = Math.round(rate * seconds);
  const latencies = [];
  const statuses = {};
  const started = performance.now();
  const inFlight = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      post(url, makeBody(i), headers).then(({ status, ms }) => {
        latencies.push(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(inFlight);
  return { latencies, statuses };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1) };
}

/**
 * CPU milliseconds this machine takes for a fixed single-threaded workload: JSON and SHA-256
 * over a 100-event batch, 2,000 times; best of 5 tries; lower is faster. Machines of the same
 * nominal size differ (their CPU, their host's other load), so that runs on two machines can
 * be read side by side.
 */
function calibrationMs() {
  const batch = Array.from({ length: 100 }, (_, i) => ({
    type: 'track',
    messageId: `message-${i}`,
    userId: `user-${i}`,
    event: 'feature_used',
    properties: { feature: 'reports', plan: 'team', n: i },
    timestamp: '2026-01-01T00:00:00.000Z',
  }));
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const before = process.cpuUsage();
    for (let i = 0; i < 2000; i += 1) {
      const text = JSON.stringify({ batch });
      JSON.parse(text);
      createHash('sha256').update(text).digest();
    }
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return Math.round(best);
}

export function machine() {
  return {
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    calibrationMs: calibrationMs(),
  };
}

export function commit() {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}

/** Every run of every benchmark, one JSON object a line; docs/benchmarks.md keeps the current figures. */
export const RESULTS_FILE = fileURLToPath(
  new URL('docs/benchmark-results.ndjson', `file://${ROOT}`),
);

/** `pnpm bench:<name>` with the BENCH_* variables this run was given, to repeat it exactly. */
function benchCommand(name) {
  const settings = Object.entries(process.env)
    .filter(([key]) => key.startsWith('BENCH_'))
    .map(([key, value]) => `${key}=${value}`)
    .sort();
  return [...settings, `pnpm bench:${name}`].join(' ');
}

/**
 * Appends one run to docs/benchmark-results.ndjson: `{ name, date, commit, machine, command,
 * figures, notes? }`. `name` is the benchmark (`ingest`, `query`, ...), `figures` whatever the
 * script measured; date, commit and machine are filled in when not given.
 */
export function recordRun({ name, command, figures, notes, ...given }) {
  const run = {
    name,
    date: given.date ?? new Date().toISOString(),
    commit: given.commit ?? commit(),
    machine: given.machine ?? machine(),
    command: command ?? benchCommand(name),
    figures,
    ...(notes ? { notes } : {}),
  };
  appendFileSync(RESULTS_FILE, `${JSON.stringify(run)}\n`);
  return run;
}

/**
 * Prints a run's human summary, in the shape of its section of docs/benchmarks.md, to paste over
 * that section when these become the current figures. The page is no longer appended to (it
 * grew to 800 lines of runs). A summary that still embeds its JSON (a ```json block with
 * `benchmark`, `date`, `commit`, `machine`) has that run recorded in the results file, so
 * scripts written before the file existed keep their history.
 */
export function appendToBenchmarks(markdown) {
  const embedded = markdown.match(/```json\n(\{.*\})\n```/);
  if (embedded) {
    const { benchmark, name, date, commit: at, machine: on, ...figures } = JSON.parse(embedded[1]);
    recordRun({ name: name ?? benchmark, date, commit: at, machine: on, figures });
  }
  console.log(
    `\nSummary for docs/benchmarks.md (run recorded in ${RESULTS_FILE}):\n\n${markdown}\n`,
  );
}
