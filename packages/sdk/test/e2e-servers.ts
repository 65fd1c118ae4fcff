import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser; CI installs it. */
const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests run: Chromium is here, or CI (which must have it). */
export const chromiumAvailable = existsSync(CHROMIUM) || !!process.env['CI'];

/** Debian's Chromium, headless, with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Starts a server on a free 127.0.0.1 port; resolves with its origin and a closer. */
export async function listen(
  server: Server,
): Promise<{ origin: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}

/** A stored event as the browser test inspects it. */
export interface StoredEvent {
  type: string;
  event: string | null;
  userId: string | null;
  context: Record<string, unknown>;
}

/** A stored event with the columns a client-compatibility test checks, as the server wrote them. */
export interface StoredRow {
  messageId: string;
  type: string;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  accountId: string | null;
  /** `properties` of track/page/screen, `traits` of identify/group. */
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
}

/** The slice of the server's Fastify app this harness touches; imported at run time. */
interface ServerApp {
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
  services: {
    db: {
      selectFrom(table: 'events'): {
        select(columns: string[]): {
          where(
            column: string,
            op: '=',
            value: string,
          ): {
            execute(): Promise<Array<Record<string, unknown>>>;
          };
        };
      };
    };
  };
}

const ADMIN_TOKEN = 'sdk-browser-e2e-admin-token-0123';
const FORWARDED = ['content-type', 'content-encoding', 'authorization', 'origin'];
const DROPPED = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);

/**
 * The real Tenure server (apps/server on the embedded database in `dataDir`) behind a small
 * proxy on its own origin that can slow requests down or fail them, as networks and outages
 * do. Every test gets a project of its own; what counts is what the server stored.
 */
export async function tenureIngestion(appModule: URL, dataDir: string) {
  // A runtime import keeps the server's sources out of the SDK's typecheck.
  const { buildApp } = (await import(appModule.href)) as {
    buildApp: (options: { config: Record<string, unknown> }) => Promise<ServerApp>;
  };
  const app = await buildApp({
    config: {
      TENURE_DATA_DIR: dataDir,
      TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
      TENURE_JOBS_INTERVAL_MINUTES: 0,
    },
  });
  const target = await app.listen({ port: 0, host: '127.0.0.1' });
  const state = { requests: 0, failures: 0, delayMs: 0, failWith: 0 };
  let projectId = '';
  let stored = new Map<string, StoredEvent>();

  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    if (request.method === 'POST') {
      state.requests++;
      if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
      if (state.failWith) {
        state.failures++;
        const error = { error: { code: 'storage_unavailable', message: 'down' } };
        return response
          .writeHead(state.failWith, {
            'Access-Control-Allow-Origin': '*',
            'Access-Control-Expose-Headers': 'Retry-After',
            'Content-Type': 'application/json',
            'Retry-After': '1',
          })
          .end(JSON.stringify(error));
      }
    }
    const headers: Record<string, string> = {};
    for (const name of [
      ...FORWARDED,
      'access-control-request-method',
      'access-control-request-headers',
    ]) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = await fetch(`${target}${request.url}`, {
      method: request.method ?? 'GET',
      headers,
      ...(request.method === 'POST' && { body }),
    });
    const answer = Buffer.from(await upstream.arrayBuffer());
    const back: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!DROPPED.has(name)) back[name] = value;
    });
    response.writeHead(upstream.status, back).end(answer);
  });

  return {
    server,
    state,
    /** The server's own origin, without the proxy: for a client that must meet it unaltered. */
    serverOrigin: target,
    /** A fresh project: its write key, with the proxy's faults cleared. */
    async newProject(): Promise<string> {
      Object.assign(state, { requests: 0, failures: 0, delayMs: 0, failWith: 0 });
      const created = await fetch(`${target}/v1/admin/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'browser end-to-end' }),
      });
      const project = (await created.json()) as { projectId: string; writeKey: string };
      projectId = project.projectId;
      stored = new Map();
      return project.writeKey;
    },
    /** Reads what the server has stored for the current project, by message id. */
    async refresh(): Promise<Map<string, StoredEvent>> {
      const rows = await app.services.db
        .selectFrom('events')
        .select(['message_id', 'type', 'event', 'user_id', 'context'])
        .where('project_id', '=', projectId)
        .execute();
      stored = new Map(
        rows.map((row) => [
          row['message_id'] as string,
          {
            type: row['type'] as string,
            event: row['event'] as string | null,
            userId: row['user_id'] as string | null,
            context: row['context'] as Record<string, unknown>,
          },
        ]),
      );
      return stored;
    },
    /** Every stored event of the current project, with its account, ids and properties. */
    async rows(): Promise<StoredRow[]> {
      const rows = await app.services.db
        .selectFrom('events')
        .select([
          'message_id',
          'type',
          'event',
          'user_id',
          'anonymous_id',
          'account_id',
          'properties',
          'context',
        ])
        .where('project_id', '=', projectId)
        .execute();
      return rows.map((row) => ({
        messageId: row['message_id'] as string,
        type: row['type'] as string,
        event: row['event'] as string | null,
        userId: row['user_id'] as string | null,
        anonymousId: row['anonymous_id'] as string | null,
        accountId: row['account_id'] as string | null,
        properties: row['properties'] as Record<string, unknown>,
        context: row['context'] as Record<string, unknown>,
      }));
    },
    count(name: string) {
      return [...stored.values()].filter((m) =>
        m.type === 'track' ? m.event === name : m.type === name,
      ).length;
    },
    close: () => app.close(),
  };
}

/** Serves the example page and the script-tag build, as a SaaS app would on its own origin. */
export function exampleApp(indexHtml: URL, scriptTag: URL) {
  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/') {
      response
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(readFileSync(indexHtml));
    } else if (path === '/tenure.global.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(scriptTag));
    } else {
      response.writeHead(404).end();
    }
  });
}
