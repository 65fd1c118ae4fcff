import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from './e2e-servers.js';

/**
 * A real Node process using the built `@tenure/sdk/node`: after `shutdown()` nothing of the
 * SDK may keep it alive, not even a request to a server that accepted the connection and
 * never answers (the default request timeout is 15 s).
 */
const NODE_BUILD = new URL('../dist/node.js', import.meta.url);

/** Runs `body` as an ES module in a child process; resolves with its output and run time. */
function runScript(body: string): Promise<{ stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', body]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) =>
    child.on('exit', () => resolve({ stdout, stderr, ms: Date.now() - started })),
  );
}

describe('a Node process using the SDK', () => {
  let silent: { origin: string; close: () => Promise<void> };

  beforeAll(async () => {
    expect(existsSync(NODE_BUILD), 'run `pnpm --filter @tenure/sdk build` first').toBe(true);
    const server: Server = createServer(() => {}); // takes requests, never answers
    silent = await listen(server);
  });
  afterAll(() => silent?.close());

  it('exits right after shutdown although a request is still waiting for an answer', async () => {
    const { stdout, stderr, ms } = await runScript(`
      import { Tenure } from ${JSON.stringify(NODE_BUILD.href)};
      const tenure = new Tenure({ writeKey: 'tw_x', host: ${JSON.stringify(silent.origin)}, onError: () => {} });
      tenure.user({ userId: 'u_1', accountId: 'acme' }).login();
      const { unsent } = await tenure.shutdown({ timeout: 500 });
      console.log(JSON.stringify(unsent.map((m) => m.event)));
    `);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe('["login"]');
    expect(ms).toBeLessThan(5_000);
  });

  it('exits right after shutdown while the server is down (retry timers do not hold it)', async () => {
    const { stdout, ms } = await runScript(`
      import { Tenure } from ${JSON.stringify(NODE_BUILD.href)};
      const tenure = new Tenure({ writeKey: 'tw_x', host: 'http://127.0.0.1:9', onError: () => {} });
      for (let i = 0; i < 3; i++) tenure.user({ userId: 'u_1' }).featureUsed('reports');
      const { unsent } = await tenure.shutdown({ timeout: 1_000 });
      console.log(unsent.length);
    `);
    expect(stdout.trim()).toBe('3');
    expect(ms).toBeLessThan(5_000);
  });
});
