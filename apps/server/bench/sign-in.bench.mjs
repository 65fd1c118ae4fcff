// pnpm bench:sign-in — what a workspace sign-in costs (scrypt N=2^15, r=8, p=1) and whether a
// wrong email answers in the same time as a wrong password (it must not tell them apart).
// Reference in the same run: GET /v1/auth/session on the same server, a request that does not
// hash. One server on the embedded database; requests one at a time from 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendToBenchmarks,
  CLI,
  recordRun,
  startProcess,
  stopProcess,
  summary,
} from './bench-kit.mjs';

const PORT = 8192;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const ROUNDS = 3;
const PER_ROUND = 15;
const PASSWORD = 'bench password 1';

async function call(path, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body && JSON.stringify(body),
  });
  return response;
}

async function timed(request) {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

const dataDir = mkdtempSync(join(tmpdir(), 'tenure-bench-sign-in-'));
const server = await startProcess(
  CLI,
  ['serve'],
  {
    PORT: String(PORT),
    HOST: '127.0.0.1',
    TENURE_DATA_DIR: dataDir,
    DATABASE_URL: '',
    TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
    TENURE_JOBS_INTERVAL_MINUTES: '0',
    // Every attempt comes from 127.0.0.1: the bench measures cost, not the limiter.
    TENURE_SIGN_IN_FAILURES_PER_EMAIL: '10000',
    TENURE_SIGN_IN_FAILURES_PER_IP: '10000',
  },
  `${BASE}/healthz`,
);
try {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const { projectId } = await (
    await call('/v1/admin/projects', { method: 'POST', headers: admin, body: { name: 'bench' } })
  ).json();
  const { id } = await (
    await call('/v1/admin/users', {
      method: 'POST',
      headers: admin,
      body: { email: 'bench@example.com', password: PASSWORD },
    })
  ).json();
  await call(`/v1/admin/users/${id}/memberships/${projectId}`, {
    method: 'PUT',
    headers: admin,
    body: { role: 'admin' },
  });
  const first = await call('/v1/auth/sign-in', {
    method: 'POST',
    body: { email: 'bench@example.com', password: PASSWORD },
  });
  const cookie = first.headers.get('set-cookie').split(';')[0];

  const kinds = {
    signIn: () =>
      call('/v1/auth/sign-in', {
        method: 'POST',
        body: { email: 'bench@example.com', password: PASSWORD },
      }),
    wrongPassword: () =>
      call('/v1/auth/sign-in', {
        method: 'POST',
        body: { email: 'bench@example.com', password: 'not it at all' },
      }),
    wrongEmail: () =>
      call('/v1/auth/sign-in', {
        method: 'POST',
        body: { email: 'nobody@example.com', password: PASSWORD },
      }),
    session: () => call('/v1/auth/session', { headers: { cookie } }),
  };
  const medians = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
  const statuses = {};
  for (let round = 0; round < ROUNDS; round += 1) {
    const samples = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
    // Interleaved, so that machine drift hits every kind alike.
    for (let i = 0; i < PER_ROUND; i += 1) {
      for (const [kind, request] of Object.entries(kinds)) {
        const { ms, status } = await timed(request);
        samples[kind].push(ms);
        statuses[`${kind}:${status}`] = (statuses[`${kind}:${status}`] ?? 0) + 1;
      }
    }
    for (const kind of Object.keys(kinds)) medians[kind].push(summary(samples[kind]).median);
  }
  const figures = Object.fromEntries(
    Object.entries(medians).map(([kind, values]) => {
      const s = summary(values);
      return [
        kind,
        { median: +s.median.toFixed(1), min: +s.min.toFixed(1), max: +s.max.toFixed(1) },
      ];
    }),
  );
  const ratio = summary(medians.wrongEmail.map((ms, i) => ms / medians.wrongPassword[i]));
  const result = recordRun({
    name: 'sign-in',
    command: 'pnpm bench:sign-in',
    figures: {
      rounds: ROUNDS,
      requestsPerKindPerRound: PER_ROUND,
      latencyMs: figures,
      wrongEmailToWrongPassword: ratio,
      statuses,
    },
  });
  console.log(JSON.stringify(result));
  const row = (label, f) => `| ${label} | ${f.median} (min ${f.min}, max ${f.max}) |`;
  appendToBenchmarks(
    [
      `## Workspace sign-in (${result.date.slice(0, 10)}, commit ${result.commit})`,
      '',
      `\`pnpm bench:sign-in\`; ${result.machine.cores} cores, ${result.machine.memoryGb} GB, Node ${result.machine.node}, calibration ${result.machine.calibrationMs} ms; embedded database; one request at a time, ${ROUNDS} rounds of ${PER_ROUND} per kind, interleaved; median of the round medians (min, max).`,
      '',
      '| Request | ms |',
      '|---|---|',
      row('Sign-in, right password (scrypt N=2^15 r=8 p=1 + session insert)', figures.signIn),
      row('Sign-in, wrong password', figures.wrongPassword),
      row('Sign-in, unknown email (decoy hash)', figures.wrongEmail),
      row('Reference: GET /v1/auth/session (no hash)', figures.session),
      '',
      `Unknown email / wrong password time: ${ratio.median.toFixed(2)} (min ${ratio.min.toFixed(2)}, max ${ratio.max.toFixed(2)}).`,
    ].join('\n'),
  );
} finally {
  await stopProcess(server);
  rmSync(dataDir, { recursive: true, force: true });
}
