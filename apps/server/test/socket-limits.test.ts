import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import type { DatabaseHandle } from '../src/db/open-database.js';
import { openTestDatabase } from './test-database.js';

/** Everything the server sends on `socket` until it closes it (or the guard fires). */
function answerOf(socket: Socket, guardMs = 15_000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const guard = setTimeout(() => resolve({ text, closed: false }), guardMs);
    socket.on('data', (chunk) => {
      text += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ text, closed: true });
    });
  });
}

/** Writes `text` one byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number) {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text[i]!);
    i += 1;
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

describe('socket timeouts and the connection cap', () => {
  let app: FastifyInstance;
  let database: DatabaseHandle;
  let port: number;
  const open = () =>
    new Promise<Socket>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
    });

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    app = await buildApp({
      database,
      config: {
        TENURE_REQUEST_TIMEOUT_MS: 1_500,
        TENURE_HEADERS_TIMEOUT_MS: 1_000,
        TENURE_MAX_CONNECTIONS: 3,
        TENURE_JOBS_INTERVAL_MINUTES: 0,
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('answers a body that trickles in 408 and closes the connection', async () => {
    const socket = await open();
    const answer = answerOf(socket);
    socket.write(
      'POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
    );
    trickle(socket, `{"batch":[${' '.repeat(990)}]}`, 100);
    const { text, closed } = await answer;
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('"code":"request_timeout"');
  });

  it('answers headers that trickle in 408 and closes the connection', async () => {
    const socket = await open();
    const answer = answerOf(socket);
    socket.write('GET /healthz HTTP/1.1\r\n');
    trickle(socket, `X-Slow: ${'a'.repeat(200)}\r\n\r\n`, 100);
    const { text, closed } = await answer;
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes connections beyond the cap at once, and serves the others', async () => {
    const held = await Promise.all([open(), open(), open()]);
    const extra = await open();
    const { text, closed } = await answerOf(extra);
    expect(closed).toBe(true);
    expect(text).toBe('');
    const first = held[0]!;
    const answer = answerOf(first);
    first.end('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await answer).text).toMatch(/^HTTP\/1\.1 200/);
    for (const socket of held) socket.destroy();
  });

  it('refuses a headers timeout longer than the request timeout at start', () => {
    expect(() =>
      loadConfig({ TENURE_REQUEST_TIMEOUT_MS: '5000', TENURE_HEADERS_TIMEOUT_MS: '10000' }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ TENURE_MAX_CONNECTIONS: '0' })).toThrow(/TENURE_MAX_CONNECTIONS/);
  });
});
