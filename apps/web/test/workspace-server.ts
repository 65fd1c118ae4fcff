import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '@tenure/server';

const ADMIN_TOKEN = 'web-test-admin-token-0123456789';
export const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));
const CLI = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));

export interface Member {
  email: string;
  password: string;
}

/** A real Tenure server on 127.0.0.1 with seeded accounts, two members and the built app. */
export interface WorkspaceServer {
  origin: string;
  projectId: string;
  admin: Member;
  viewer: Member;
  /** The public API with the project's secret key: what the page should be showing. */
  api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** `POST /v1/batch` with the project's write key, as an SDK would send events. */
  ingest(batch: object[]): Promise<void>;
  close(): Promise<void>;
}

/** `tenure seed` through the CLI, as a user would run it: generated accounts, snapshots. */
function seed(dataDir: string, accounts: number, days: number) {
  return new Promise<{ projectId: string; writeKey: string; secretKey: string }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        [CLI, 'seed', '--accounts', String(accounts), '--days', String(days), '--seed', '3'],
        { env: { ...process.env, DATABASE_URL: '', TENURE_DATA_DIR: dataDir } },
      );
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        const projectId = /Project (\S+) created/.exec(output)?.[1];
        const writeKey = /write key:\s+(\S+)/.exec(output)?.[1];
        const secretKey = /secret key:\s+(\S+)/.exec(output)?.[1];
        if (code === 0 && projectId && writeKey && secretKey) {
          resolve({ projectId, writeKey, secretKey });
        } else reject(new Error(`tenure seed failed (${code}):\n${output}`));
      });
    },
  );
}

async function adminCall(origin: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/**
 * Seeds a project on an embedded database with `tenure seed`, then serves it in this process
 * (webhooks may reach 127.0.0.1 so the test can receive them) and adds an admin and a viewer
 * through the admin API.
 */
export async function startWorkspaceServer(
  options: { accounts?: number; days?: number } = {},
): Promise<WorkspaceServer> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`No web build at ${WEB_DIST}: run pnpm build first`);
  }
  if (!existsSync(CLI)) throw new Error(`No server build at ${CLI}: run pnpm build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tenure-web-'));
  const { projectId, writeKey, secretKey } = await seed(
    dataDir,
    options.accounts ?? 30,
    options.days ?? 150,
  );
  const app = await buildApp({
    config: {
      TENURE_DATA_DIR: dataDir,
      TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
      TENURE_WEBHOOK_PRIVATE_NETWORKS: 'allow',
      TENURE_JOBS_INTERVAL_MINUTES: 0,
    },
    webAppDir: WEB_DIST,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const admin = { email: 'csm.admin@example.com', password: 'correct horse battery staple' };
  const viewer = { email: 'csm.viewer@example.com', password: 'viewer password 12345' };
  for (const [member, role] of [
    [admin, 'admin'],
    [viewer, 'viewer'],
  ] as const) {
    const user = await adminCall(origin, 'POST', '/v1/admin/users', member);
    await adminCall(origin, 'PUT', `/v1/admin/users/${user.id}/memberships/${projectId}`, {
      role,
    });
  }

  return {
    origin,
    projectId,
    admin,
    viewer,
    async api<T>(path: string, init: { method?: string; body?: unknown } = {}) {
      const response = await fetch(`${origin}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${secretKey}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async ingest(batch: object[]) {
      const response = await fetch(`${origin}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      });
      if (!response.ok) throw new Error(`/v1/batch: ${response.status} ${await response.text()}`);
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
