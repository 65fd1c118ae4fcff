import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message } from '@tenure/schema';

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

/**
 * A small but real ingestion endpoint on its own origin: CORS like Tenure's server, answers
 * like it, and stores each messageId once, counting repeats. The lead's real server replaces it
 * once `apps/server` exists.
 */
export function fakeIngestion() {
  const stored = new Map<string, Message>();
  const state = { writeKey: '', repeats: 0, requests: 0, failures: 0, delayMs: 0, failWith: 0 };
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization',
    'Access-Control-Expose-Headers': 'Retry-After',
  };
  const server = createServer(async (request, response) => {
    if (request.method === 'OPTIONS') return response.writeHead(204, cors).end();
    if (request.method !== 'POST' || request.url !== '/v1/batch')
      return response.writeHead(404, cors).end();
    const body = await readBody(request);
    state.requests++;
    if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    if (state.failWith) {
      state.failures++;
      const error = { error: { code: 'storage_unavailable', message: 'down' } };
      return response
        .writeHead(state.failWith, {
          ...cors,
          'Content-Type': 'application/json',
          'Retry-After': '1',
        })
        .end(JSON.stringify(error));
    }
    const envelope = JSON.parse(body) as { batch: Message[]; writeKey?: string };
    if (envelope.writeKey !== state.writeKey) return response.writeHead(401, cors).end('{}');
    let duplicates = 0;
    for (const message of envelope.batch) {
      if (stored.has(message.messageId ?? '')) duplicates++;
      else stored.set(message.messageId ?? '', message);
    }
    state.repeats += duplicates;
    const result = { accepted: envelope.batch.length - duplicates, duplicates, rejected: [] };
    response
      .writeHead(200, { ...cors, 'Content-Type': 'application/json' })
      .end(JSON.stringify(result));
  });
  const count = (name: string) =>
    [...stored.values()].filter((m) => (m.type === 'track' ? m.event === name : m.type === name))
      .length;
  /** Starts over, accepting only `writeKey`. */
  const reset = (writeKey: string) => {
    stored.clear();
    Object.assign(state, {
      writeKey,
      repeats: 0,
      requests: 0,
      failures: 0,
      delayMs: 0,
      failWith: 0,
    });
  };
  return { server, stored, state, count, reset };
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
