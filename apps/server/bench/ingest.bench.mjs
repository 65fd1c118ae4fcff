// pnpm bench:ingest — Tenure's ingestion end to end (HTTP, validation, group commit, rollups,
// durable acks) next to two references in the same run: Postgres COPY of the same rows into
// the same table, and a no-op Fastify route parsing the same bodies. See shared/bench.md.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import {
  appendToBenchmarks,
  CLI,
  closedLoop,
  commit,
  cpuSplit,
  dropDatabase,
  machine,
  openLoop,
  percentile,
  recordRun,
  recreateDatabase,
  rssMb,
  startProcess,
  stopProcess,
  summary,
} from './bench-kit.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EVENTS_PER_BATCH = 100;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000); // 200k events per round
const EMBEDDED_REQUESTS = Number(process.env.BENCH_EMBEDDED_REQUESTS ?? 500);
const CONCURRENCY = 32;
const OFFERED_EVENTS_PER_S = Number(process.env.BENCH_OFFERED_RATE ?? 20_000);
const OFFERED_SECONDS = 10;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const FEATURES = ['reports', 'dashboards', 'exports', 'alerts', 'api', 'sso', 'billing', 'search'];
// Real SDKs send random UUIDs as messageIds; BENCH_MESSAGE_IDS=sequential sends ordered ones,
// which keep the dedup ledger's index appends at its right edge.
const SEQUENTIAL_IDS = process.env.BENCH_MESSAGE_IDS === 'sequential';

// 5,000 users in 1,000 accounts. A browser SDK's batch holds one user's events; a backend's
// mixes users: half the batches are of each kind.
function event(run, i, j, timestamp) {
  const n = i * EVENTS_PER_BATCH + j;
  const user = i % 2 === 0 ? i % 5000 : (i * 20 + (j % 20)) % 5000;
  return {
    type: 'track',
    messageId: SEQUENTIAL_IDS ? `${run}-${i}-${j}` : randomUUID(),
    userId: `user-${user}`,
    event: n % 10 === 0 ? 'login' : 'feature_used',
    properties: { feature: FEATURES[n % FEATURES.length], plan: 'team', source: 'web' },
    context: { groupId: `account-${user % 1000}`, library: { name: 'bench', version: '1' } },
    timestamp,
  };
}

function bodyMaker(run) {
  return (i) => {
    const timestamp = new Date().toISOString();
    const batch = Array.from({ length: EVENTS_PER_BATCH }, (_, j) => event(run, i, j, timestamp));
    return JSON.stringify({ batch, sentAt: timestamp });
  };
}

async function startTenure(port, env) {
  const child = await startProcess(
    CLI,
    ['serve'],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
      TENURE_JOBS_INTERVAL_MINUTES: '0',
      ...env,
    },
    `http://127.0.0.1:${port}/readyz`,
  );
  const created = await fetch(`http://127.0.0.1:${port}/v1/admin/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  }).then((response) => response.json());
  const headers = {
    authorization: `Basic ${Buffer.from(`${created.writeKey}:`).toString('base64')}`,
  };
  return { child, headers, projectId: created.projectId };
}

/** Samples a process's RSS every 200 ms; returns a stop function giving the peak in MB. */
function sampleMemory(pid) {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid) ?? 0);
  }, 200);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

async function throughput(url, headers, requests, run, pid) {
  const makeBody = bodyMaker(run);
  const bodies = Array.from({ length: requests }, (_, i) => makeBody(i));
  const stopSampling = pid ? sampleMemory(pid) : () => null;
  const cpu = cpuSplit(pid);
  const { seconds, statuses } = await closedLoop({
    url,
    headers,
    bodies,
    concurrency: CONCURRENCY,
  });
  const used = cpu();
  const peakMb = stopSampling();
  if (Object.keys(statuses).some((status) => status !== '200'))
    throw new Error(`non-200 answers: ${JSON.stringify(statuses)}`);
  const events = requests * EVENTS_PER_BATCH;
  const perEvent = (cpuSeconds) => Math.round((cpuSeconds * 1e6) / events);
  return {
    eventsPerS: Math.round(events / seconds),
    peakMb,
    cpuUsPerEvent: {
      server: perEvent(used.server),
      postgres: perEvent(used.postgres),
      loadGenerator: perEvent(used.loadGenerator),
    },
  };
}

/** COPY of the rows the server stores for the same events, into the same (partitioned) table. */
async function copyRate(url, projectId, run) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const receivedAt = new Date().toISOString();
  const lines = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    for (let j = 0; j < EVENTS_PER_BATCH; j += 1) {
      const e = event(run, i, j, receivedAt);
      lines.push(
        [
          projectId,
          e.timestamp,
          e.messageId,
          e.type,
          e.event,
          e.userId,
          e.context.groupId,
          JSON.stringify(e.properties),
          JSON.stringify(e.context),
          receivedAt,
        ].join('\t'),
      );
    }
  }
  const data = `${lines.join('\n')}\n`;
  const cpu = cpuSplit(null);
  const started = performance.now();
  const stream = client.query(
    copyStreams.from(
      'copy events (project_id, timestamp, message_id, type, event, user_id, account_id, properties, context, received_at) from stdin',
    ),
  );
  await new Promise((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(data);
  });
  const seconds = (performance.now() - started) / 1000;
  const postgresUs = Math.round((cpu().postgres * 1e6) / lines.length);
  await client.end();
  return { eventsPerS: Math.round(lines.length / seconds), postgresCpuUsPerEvent: postgresUs };
}

/**
 * Lets the database finish the background work that the previous phase left (vacuuming and
 * analysing the rows it wrote, writing back its dirty pages), so that a phase does not pay
 * for the one before it: the COPY reference's 200,000 rows, say, would otherwise be vacuumed
 * during the next Tenure round. Each phase still pays for what its own writes set off.
 */
async function settle(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('vacuum (analyze)');
  await client.query('checkpoint');
  await client.end();
}

async function main() {
  const results = { tenure: [], copy: [], noop: [], embedded: [], peakMb: [], cpu: [] };

  const tenureUrl = await recreateDatabase('tenure_bench_ingest');
  const tenure = await startTenure(18_181, { DATABASE_URL: tenureUrl });
  const noop = await startProcess(
    fileURLToPath(new URL('./noop-server.mjs', import.meta.url)),
    [],
    { PORT: '18182' },
    'http://127.0.0.1:18182/healthz',
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'tenure-bench-'));
  const embedded = await startTenure(18_183, { TENURE_DATA_DIR: dataDir });
  const idleMb = rssMb(tenure.child.pid);

  // Warm-up: JIT, key cache, partitions.
  await throughput('http://127.0.0.1:18181/v1/batch', tenure.headers, 200, 'warm', null);
  await throughput('http://127.0.0.1:18183/v1/batch', embedded.headers, 50, 'warm', null);

  for (let round = 1; round <= ROUNDS; round += 1) {
    await settle(tenureUrl);
    const run = `r${round}-${Date.now()}`;
    const measured = await throughput(
      'http://127.0.0.1:18181/v1/batch',
      tenure.headers,
      REQUESTS,
      run,
      tenure.child.pid,
    );
    results.tenure.push(measured.eventsPerS);
    results.peakMb.push(measured.peakMb);
    await settle(tenureUrl);
    const copied = await copyRate(tenureUrl, tenure.projectId, `copy-${run}`);
    results.copy.push(copied.eventsPerS);
    results.noop.push(
      (await throughput('http://127.0.0.1:18182/v1/batch', {}, REQUESTS, run, null)).eventsPerS,
    );
    const embeddedRun = await throughput(
      'http://127.0.0.1:18183/v1/batch',
      embedded.headers,
      EMBEDDED_REQUESTS,
      run,
      embedded.child.pid,
    );
    results.embedded.push(embeddedRun.eventsPerS);
    results.cpu.push({
      tenure: measured.cpuUsPerEvent,
      copyPostgres: copied.postgresCpuUsPerEvent,
      embeddedServer: embeddedRun.cpuUsPerEvent.server,
    });
    console.log(
      JSON.stringify({
        round,
        tenure: measured.eventsPerS,
        copy: results.copy.at(-1),
        noop: results.noop.at(-1),
        embedded: results.embedded.at(-1),
        peakMb: measured.peakMb,
        cpuUsPerEvent: results.cpu.at(-1),
      }),
    );
  }

  const rate = OFFERED_EVENTS_PER_S / EVENTS_PER_BATCH;
  const latency = await openLoop({
    url: 'http://127.0.0.1:18181/v1/batch',
    headers: tenure.headers,
    rate,
    seconds: OFFERED_SECONDS,
    makeBody: bodyMaker(`lat-${Date.now()}`),
  });

  await stopProcess(tenure.child);
  await stopProcess(noop);
  await stopProcess(embedded.child);
  rmSync(dataDir, { recursive: true, force: true });
  await dropDatabase('tenure_bench_ingest');

  const tenureRate = summary(results.tenure);
  const copy = summary(results.copy);
  const noopRate = summary(results.noop);
  const embeddedRate = summary(results.embedded);
  const ratios = results.tenure.map((value, i) => value / results.copy[i]);
  const report = {
    benchmark: 'ingest',
    date: new Date().toISOString(),
    commit: commit(),
    machine: machine(),
    eventsPerBatch: EVENTS_PER_BATCH,
    messageIds: SEQUENTIAL_IDS ? 'sequential' : 'uuid',
    databaseCollation: process.env.BENCH_ICU_LOCALE
      ? `icu ${process.env.BENCH_ICU_LOCALE}`
      : 'server default',
    concurrency: CONCURRENCY,
    eventsPerRound: REQUESTS * EVENTS_PER_BATCH,
    tenurePostgresEventsPerS: tenureRate,
    copyEventsPerS: copy,
    tenureToCopyRatio: summary(ratios),
    noopFastifyEventsPerS: noopRate,
    tenureEmbeddedEventsPerS: embeddedRate,
    latencyAtOfferedLoad: {
      offeredEventsPerS: OFFERED_EVENTS_PER_S,
      seconds: OFFERED_SECONDS,
      statuses: latency.statuses,
      p50Ms: percentile(latency.latencies, 50),
      p95Ms: percentile(latency.latencies, 95),
      p99Ms: percentile(latency.latencies, 99),
    },
    serverMemoryMb: { idle: idleMb, peakUnderLoad: summary(results.peakMb) },
    cpuUsPerEvent: {
      tenureServer: summary(results.cpu.map((c) => c.tenure.server)),
      tenurePostgres: summary(results.cpu.map((c) => c.tenure.postgres)),
      loadGenerator: summary(results.cpu.map((c) => c.tenure.loadGenerator)),
      copyPostgres: summary(results.cpu.map((c) => c.copyPostgres)),
      embeddedServer: summary(results.cpu.map((c) => c.embeddedServer)),
    },
  };
  console.log(JSON.stringify(report));
  const { benchmark, date, commit: at, machine: on, ...figures } = report;
  recordRun({
    name: benchmark,
    date,
    commit: at,
    machine: on,
    figures: { rounds: ROUNDS, ...figures },
  });
  const fmt = (s) =>
    `${s.median.toLocaleString('en')} (min ${s.min.toLocaleString('en')}, max ${s.max.toLocaleString('en')})`;
  const ms = (value) => value.toFixed(1);
  appendToBenchmarks(`## Ingestion — ${report.date.slice(0, 10)}, commit ${report.commit}

Command: \`pnpm bench:ingest\` · machine: ${report.machine.cores} cores, ${report.machine.memoryGb} GiB, Node ${report.machine.node}, calibration ${report.machine.calibrationMs} ms (a fixed CPU workload; lower is faster) ·
load generator, server and Postgres share the machine (no core reserved); the database is vacuumed and
checkpointed before each measured Postgres phase · ${ROUNDS} rounds of
${report.eventsPerRound.toLocaleString('en')} events in batches of ${EVENTS_PER_BATCH}, ${CONCURRENCY} connections, ${SEQUENTIAL_IDS ? 'sequential' : 'random UUID'} messageIds,
database collation ${report.databaseCollation}; median (min, max).

| measurement | events/s |
|---|---|
| Tenure on Postgres, end to end with durable acks and rollups | ${fmt(tenureRate)} |
| Reference: \`COPY\` of the same rows into the same table | ${fmt(copy)} |
| Ratio Tenure / COPY | ${summary(ratios).median.toFixed(2)} (min ${summary(ratios).min.toFixed(2)}, max ${summary(ratios).max.toFixed(2)}) |
| Reference: no-op Fastify route parsing the same bodies | ${fmt(noopRate)} |
| Tenure on the embedded database (PGlite) | ${fmt(embeddedRate)} |

Latency at a fixed offered load of ${OFFERED_EVENTS_PER_S.toLocaleString('en')} events/s (${rate} requests/s for ${OFFERED_SECONDS} s, open loop):
p50 ${ms(report.latencyAtOfferedLoad.p50Ms)} ms, p95 ${ms(report.latencyAtOfferedLoad.p95Ms)} ms, p99 ${ms(report.latencyAtOfferedLoad.p99Ms)} ms; answers ${JSON.stringify(latency.statuses)}.
Server memory (RSS): ${idleMb} MB idle, ${fmt(summary(results.peakMb))} MB peak under full load.

CPU time per event (µs, median of rounds; two cores give 2,000,000 µs per second): Tenure's
server process ${report.cpuUsPerEvent.tenureServer.median}, Postgres for Tenure ${report.cpuUsPerEvent.tenurePostgres.median}, the load generator ${report.cpuUsPerEvent.loadGenerator.median};
Postgres for \`COPY\` ${report.cpuUsPerEvent.copyPostgres.median}; the embedded server (PGlite in-process) ${report.cpuUsPerEvent.embeddedServer.median}.
`);
}

await main();
