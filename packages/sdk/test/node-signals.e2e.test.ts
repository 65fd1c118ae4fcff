import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen } from './e2e-servers.js';

// Real Node processes using the built SDK, stopped the way people stop them (issue #16: a
// cancellation sent just before Ctrl+C never arrived).
const NODE_BUILD = new URL('../dist/node.js', import.meta.url);
const EXAMPLE = fileURLToPath(new URL('../../../examples/node/server.js', import.meta.url));

/** A Tenure stand-in that records the events of every batch it is sent. */
let received: Array<{ event?: string; type: string }> = [];
let tenure: { origin: string; close: () => Promise<void> };

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  received = [];
});

beforeAll(async () => {
  expect(existsSync(NODE_BUILD), 'run `pnpm --filter @tenure/sdk build` first').toBe(true);
  const server: Server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    received.push(...JSON.parse(body).batch);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ accepted: 1, duplicates: 0, rejected: [] }));
  });
  tenure = await listen(server);
});
afterAll(() => tenure?.close());

/** Starts `node args`, resolving once it printed `ready` (a line containing it). */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env } });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('ready') || output.includes('Example backend on')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`exited before ready: ${output}`)));
  });
  ready.catch(() => {}); // a run that is not waited on for `ready` may end without it
  return { child, ready, exited, output: () => output };
}

// Long batching interval: without a shutdown nothing would be sent before the signal.
const client = (extra: string) => `
  import { Tenure } from ${JSON.stringify(NODE_BUILD.href)};
  const tenure = new Tenure({ writeKey: 'tw_x', host: ${JSON.stringify('HOST')}, flushInterval: 60_000, ${extra} });
  tenure.user({ userId: 'u1', accountId: 'acme' }).subscriptionCancelled({ reason: 'price', mrr: 490 });
`;

describe('the Node SDK when its process is stopped', () => {
  it('with handleSignals: true, delivers what is queued on SIGINT, then exits', async () => {
    const script = `${client('handleSignals: true').replace('HOST', tenure.origin)}
      setInterval(() => {}, 1_000); // a server's event loop never runs dry
      console.log('ready');`;
    const run = start(['--input-type=module', '-e', script]);
    await run.ready;
    expect(received).toEqual([]);
    run.child.kill('SIGINT');
    await run.exited;
    expect(run.child.signalCode).toBe('SIGINT');
    expect(received.map((m) => m.event)).toEqual(['subscription_cancelled']);
  });

  it('does not take over signals unless asked', async () => {
    const script = `${client('').replace('HOST', tenure.origin)}
      console.log(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM'), 'ready');
      process.exit(0);`;
    const run = start(['--input-type=module', '-e', script]);
    await run.exited;
    expect(run.output()).toContain('0 ready');
  });

  it('flushes at beforeExit when a script simply ends', async () => {
    const run = start(['--input-type=module', '-e', client('').replace('HOST', tenure.origin)]);
    expect(await run.exited).toBe(0);
    expect(received.map((m) => m.event)).toEqual(['subscription_cancelled']);
  });

  it('in the example backend, delivers a cancellation sent just before Ctrl+C', async () => {
    const port = await freePort();
    const run = start([EXAMPLE], {
      TENURE_HOST: tenure.origin,
      TENURE_WRITE_KEY: 'tw_x',
      PORT: String(port),
    });
    await run.ready;
    const cancel = await fetch(`http://127.0.0.1:${port}/billing/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(received.map((m) => m.event)).toContain('subscription_cancelled');
  });
});

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
