// pnpm bench:citus — Tenure's ingestion on Citus (a coordinator and its workers at CITUS_URL)
// next to plain Postgres (DATABASE_URL, default the local server) in the same run, with one
// project and with eight, and the cost of one flush of a project while another project holds
// 300,000 users, against the same flush without them. See shared/bench.md.

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  ADMIN_URL,
  appendToBenchmarks,
  CLI,
  closedLoop,
  commit,
  dropDatabase,
  machine,
  post,
  recreateDatabase,
  startProcess,
  stopProcess,
  summary,
} from './bench-kit.mjs';

const CITUS_URL = process.env.CITUS_URL;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EVENTS_PER_BATCH = 100;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 600);
const CONCURRENCY = 32;
const PROJECTS = 8;
const OTHER_PROJECT_USERS = Number(process.env.BENCH_OTHER_USERS ?? 300_000);
const FLUSHES = Number(process.env.BENCH_FLUSHES ?? 150);
const SHARDS = Number(process.env.BENCH_SHARDS ?? 32);
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
// Another session benching on the same machine and cluster takes other ports and databases.
const DB = process.env.BENCH_CITUS_DATABASE ?? 'tenure_bench_citus';
const PORT = Number(process.env.BENCH_CITUS_PORT ?? 18_281);

function event(i, j, timestamp) {
  const n = i * EVENTS_PER_BATCH + j;
  const user = i % 2 === 0 ? i % 5000 : (i * 20 + (j % 20)) % 5000;
  return {
    type: 'track',
    messageId: randomUUID(),
    userId: `user-${user}`,
    event: n % 10 === 0 ? 'login' : 'feature_used',
    properties: { feature: `f${n % 8}`, plan: 'team' },
    context: { groupId: `account-${user % 1000}` },
    timestamp,
  };
}

function body(i) {
  const timestamp = new Date().toISOString();
  const batch = Array.from({ length: EVENTS_PER_BATCH }, (_, j) => event(i, j, timestamp));
  return JSON.stringify({ batch, sentAt: timestamp });
}

async function query(url, statements) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const results = [];
    for (const statement of statements) results.push(await client.query(statement));
    return results;
  } finally {
    await client.end();
  }
}

function at(url, host, port, name) {
  const next = new URL(url);
  if (host) next.hostname = host;
  if (port) next.port = String(port);
  next.pathname = `/${name}`;
  return next.toString();
}

/** A database on every node of the cluster, distributed with `tenure citus distribute`. */
async function createCitusDatabase() {
  const [nodes] = await query(CITUS_URL, [
    `select nodename as host, nodeport as port, groupid = 0 as coordinator from pg_dist_node
     where noderole = 'primary' and isactive order by groupid`,
  ]);
  const workers = nodes.rows.filter((node) => !node.coordinator);
  const coordinator = nodes.rows.find((node) => node.coordinator);
  await dropCitusDatabase();
  await query(CITUS_URL, [`create database ${DB}`]);
  for (const worker of workers) {
    await query(at(CITUS_URL, worker.host, worker.port, 'postgres'), [`create database ${DB}`]);
    await query(at(CITUS_URL, worker.host, worker.port, DB), ['create extension citus']);
  }
  const url = at(CITUS_URL, null, null, DB);
  await query(url, [
    'create extension citus',
    ...(coordinator
      ? [`select citus_set_coordinator_host('${coordinator.host}', ${coordinator.port})`]
      : []),
    ...workers.map((worker) => `select citus_add_node('${worker.host}', ${worker.port})`),
  ]);
  execFileSync(process.execPath, [CLI, 'citus', 'distribute', '--shard-count', String(SHARDS)], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  return url;
}

async function dropCitusDatabase() {
  const [nodes] = await query(CITUS_URL, [
    `select nodename as host, nodeport as port from pg_dist_node where groupid <> 0`,
  ]);
  await query(CITUS_URL, [`drop database if exists ${DB} with (force)`]);
  for (const node of nodes.rows) {
    await query(at(CITUS_URL, node.host, node.port, 'postgres'), [
      `drop database if exists ${DB} with (force)`,
    ]);
  }
}

async function startTenure(port, url) {
  const child = await startProcess(
    CLI,
    ['serve'],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
      TENURE_JOBS_INTERVAL_MINUTES: '0',
      TENURE_RATE_LIMIT_EVENTS_PER_SECOND: '0',
    },
    `http://127.0.0.1:${port}/readyz`,
  );
  const projects = [];
  for (let i = 0; i < PROJECTS + 1; i += 1) {
    const created = await fetch(`http://127.0.0.1:${port}/v1/admin/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `bench-${i}` }),
    }).then((response) => response.json());
    projects.push({
      id: created.projectId,
      auth: `Basic ${Buffer.from(`${created.writeKey}:`).toString('base64')}`,
    });
  }
  return { child, url: `http://127.0.0.1:${port}/v1/batch`, projects };
}

/** Events/s of `requests` batches, closed loop, spread over the first `projectCount` projects. */
async function rate(target, projectCount, requests) {
  const bodies = Array.from({ length: requests }, (_, i) => body(i));
  // closedLoop sends one header set: one loop per project, run together.
  const started = performance.now();
  const loops = await Promise.all(
    target.projects.slice(0, projectCount).map((project, p) =>
      closedLoop({
        url: target.url,
        headers: { authorization: project.auth },
        bodies: bodies.filter((_, i) => i % projectCount === p),
        concurrency: Math.max(1, Math.floor(CONCURRENCY / projectCount)),
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const loop of loops) {
    if (Object.keys(loop.statuses).some((status) => status !== '200'))
      throw new Error(`non-200 answers: ${JSON.stringify(loop.statuses)}`);
  }
  return Math.round((requests * EVENTS_PER_BATCH) / seconds);
}

/**
 * Vacuums and analyzes a database (on Citus, its shards too), so that a measurement does not
 * pay for the writes before it: a bulk load leaves pages to set hint bits on and stale
 * statistics. (No checkpoint: the plain Postgres is the machine's shared server.)
 */
async function settle(url) {
  await query(url, ['vacuum analyze']);
}

/**
 * Milliseconds of one 100-event request answered alone (one flush), `FLUSHES` of them per
 * target, the targets' requests interleaved so that both meet the same load from the rest of
 * the machine.
 */
async function flushTimes(targets, into) {
  for (let i = 0; i < FLUSHES; i += 1) {
    for (const name of ['postgres', 'citus']) {
      const project = targets[name].projects[0];
      const { status, ms } = await post(targets[name].url, body(i), {
        authorization: project.auth,
      });
      if (status !== 200) throw new Error(`answer ${status}`);
      into[name].push(ms);
    }
  }
}

/** The other project (the last) gets `OTHER_PROJECT_USERS` users, accounts' members and ids. */
async function growOtherProject(url, projectId) {
  const n = OTHER_PROJECT_USERS;
  await query(url, [
    `insert into users (project_id, user_id, traits, account_id, first_seen, last_seen)
     select '${projectId}', 'user-' || g, '{}', 'account-' || (g % 20000), now(), now()
     from generate_series(1, ${n}) g`,
    `insert into account_users (project_id, account_id, user_id, first_seen, last_seen)
     select '${projectId}', 'account-' || (g % 20000), 'user-' || g, now(), now()
     from generate_series(1, ${n}) g`,
    `insert into identities (project_id, anonymous_id, user_id, linked_at)
     select '${projectId}', 'anon-' || g, 'user-' || g, now() from generate_series(1, ${n}) g`,
    `insert into accounts (project_id, account_id, traits, first_seen, last_seen)
     select '${projectId}', 'account-' || g, '{}', now(), now() from generate_series(0, 19999) g`,
    'analyze',
  ]);
}

/** The other project loses those rows again. */
async function shrinkOtherProject(url, projectId) {
  await query(
    url,
    ['users', 'account_users', 'identities', 'accounts'].map(
      (table) => `delete from ${table} where project_id = '${projectId}'`,
    ),
  );
}

async function main() {
  if (!CITUS_URL) {
    console.log('bench:citus needs CITUS_URL (a Citus coordinator whose workers are added).');
    process.exit(2);
  }
  const citusVersion = (await query(CITUS_URL, ['select citus_version() as v']))[0].rows[0].v;
  const plainUrl = await recreateDatabase(DB);
  const citusUrl = await createCitusDatabase();
  const targets = {
    postgres: await startTenure(PORT, plainUrl),
    citus: await startTenure(PORT + 1, citusUrl),
  };
  const results = { postgres: { one: [], eight: [] }, citus: { one: [], eight: [] } };
  for (const target of Object.values(targets)) await rate(target, PROJECTS, 160); // warm-up
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Alternate which goes first, so that neither always meets the other's leftovers.
    const order = round % 2 ? ['postgres', 'citus'] : ['citus', 'postgres'];
    for (const name of order) {
      results[name].one.push(await rate(targets[name], 1, REQUESTS));
      results[name].eight.push(await rate(targets[name], PROJECTS, REQUESTS));
    }
    console.log(JSON.stringify({ round, ...results }));
  }
  // Without, with, without again (the rows deleted), with again: twice each, so that a
  // change of the machine's load between the two states does not pass for their difference.
  const flushRuns = { without: { postgres: [], citus: [] }, with: { postgres: [], citus: [] } };
  const urls = { postgres: plainUrl, citus: citusUrl };
  const names = ['postgres', 'citus'];
  const other = (name) => targets[name].projects[PROJECTS].id;
  for (let pass = 1; pass <= 2; pass += 1) {
    for (const name of names) await settle(urls[name]);
    await flushTimes(targets, flushRuns.without);
    for (const name of names) await growOtherProject(urls[name], other(name));
    for (const name of names) await settle(urls[name]);
    await flushTimes(targets, flushRuns.with);
    if (pass === 1) for (const name of names) await shrinkOtherProject(urls[name], other(name));
  }
  const flush = Object.fromEntries(
    names.map((name) => [
      name,
      {
        without: summary(flushRuns.without[name]).median,
        with: summary(flushRuns.with[name]).median,
      },
    ]),
  );
  console.log(JSON.stringify({ flush }));

  for (const target of Object.values(targets)) await stopProcess(target.child);
  await dropDatabase(DB);
  await dropCitusDatabase();

  const ratio = (mode) =>
    summary(results.citus[mode].map((value, i) => value / results.postgres[mode][i]));
  const report = {
    name: 'citus',
    date: new Date().toISOString(),
    commit: commit(),
    machine: machine(),
    citus: citusVersion,
    postgresUrl: ADMIN_URL.replace(/\/\/[^@]*@/, '//'),
    shardsPerTable: SHARDS,
    writerConcurrency: Number(process.env.TENURE_WRITER_CONCURRENCY ?? 2),
    eventsPerMeasurement: REQUESTS * EVENTS_PER_BATCH,
    figures: {
      oneProject: {
        postgresEventsPerS: summary(results.postgres.one),
        citusEventsPerS: summary(results.citus.one),
        citusToPostgres: ratio('one'),
      },
      eightProjects: {
        postgresEventsPerS: summary(results.postgres.eight),
        citusEventsPerS: summary(results.citus.eight),
        citusToPostgres: ratio('eight'),
      },
      flushMs: flush,
      flushMsByPass: [1, 2].map((pass) =>
        Object.fromEntries(
          names.map((name) => [
            name,
            Object.fromEntries(
              ['without', 'with'].map((state) => [
                state,
                summary(flushRuns[state][name].slice((pass - 1) * FLUSHES, pass * FLUSHES)).median,
              ]),
            ),
          ]),
        ),
      ),
      flushWithToWithout: {
        postgres: flush.postgres.with / flush.postgres.without,
        citus: flush.citus.with / flush.citus.without,
      },
    },
  };
  console.log(JSON.stringify(report));
  const fmt = (s) =>
    `${s.median.toLocaleString('en')} (min ${s.min.toLocaleString('en')}, max ${s.max.toLocaleString('en')})`;
  const fr = (s) => `${s.median.toFixed(2)} (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)})`;
  const f = report.figures;
  appendToBenchmarks(`## Citus — ${report.date.slice(0, 10)}, commit ${report.commit}

Command: \`CITUS_URL=… pnpm bench:citus\` · machine: ${report.machine.cores} cores, ${report.machine.memoryGb} GiB, Node ${report.machine.node}, calibration ${report.machine.calibrationMs} ms ·
${report.citus} with a coordinator and ${'one worker'} on this machine (PostgreSQL 15), ${SHARDS} shards a table,
laid out by \`tenure citus distribute\`, \`TENURE_WRITER_CONCURRENCY=${report.writerConcurrency}\` on both; reference: plain Postgres (the machine's shared server) in the same run, the
same Tenure build and the same load; ${ROUNDS} rounds of ${report.eventsPerMeasurement.toLocaleString('en')} events in batches of ${EVENTS_PER_BATCH}, ${CONCURRENCY} connections,
the order of the two alternating by round; median (min, max).

| measurement | plain Postgres, events/s | Citus, events/s | Citus / Postgres |
|---|---|---|---|
| one project | ${fmt(f.oneProject.postgresEventsPerS)} | ${fmt(f.oneProject.citusEventsPerS)} | ${fr(f.oneProject.citusToPostgres)} |
| eight projects at once | ${fmt(f.eightProjects.postgresEventsPerS)} | ${fmt(f.eightProjects.citusEventsPerS)} | ${fr(f.eightProjects.citusToPostgres)} |

One flush (a 100-event request answered alone, median of ${2 * FLUSHES}: the two servers' requests
interleaved, each database vacuumed and analyzed before; without, with, without again (deleted), with again), before and after another project
got ${OTHER_PROJECT_USERS.toLocaleString('en')} users (with memberships and identities) and 20,000 accounts:

| | without | with | with / without |
|---|---|---|---|
| plain Postgres | ${flush.postgres.without.toFixed(1)} ms | ${flush.postgres.with.toFixed(1)} ms | ${f.flushWithToWithout.postgres.toFixed(2)} |
| Citus | ${flush.citus.without.toFixed(1)} ms | ${flush.citus.with.toFixed(1)} ms | ${f.flushWithToWithout.citus.toFixed(2)} |

\`\`\`json
${JSON.stringify(report)}
\`\`\`
`);
}

await main();
