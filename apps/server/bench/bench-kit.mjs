// Shared helpers of the benchmark scripts: child servers, HTTP load, statistics, reporting.
import { execSync, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
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

export async function recreateDatabase(name) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.query(`create database ${name}`);
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

/** Resident memory of a process, in MB (from /proc). */
export function rssMb(pid) {
  try {
    const status = execSync(`grep VmRSS /proc/${pid}/status`).toString();
    return Math.round(Number(status.match(/(\d+)/)[1]) / 1024);
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

/** Closed loop: `concurrency` workers send `requests` bodies from `makeBody(i)` as fast as answered. */
export async function closedLoop({ url, headers, requests, concurrency, makeBody }) {
  let next = 0;
  const statuses = {};
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const { status } = await post(url, makeBody(i), headers);
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

export function machine() {
  return {
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

export function commit() {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}

export function appendToBenchmarks(markdown) {
  appendFileSync(new URL('docs/benchmarks.md', `file://${ROOT}`), `\n${markdown}\n`);
}
