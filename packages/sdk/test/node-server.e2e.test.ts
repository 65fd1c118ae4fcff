import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { TenureError } from '../src/core/tenure-error.js';
import { Tenure } from '../src/node/index.js';
import { nodeTransport } from '../src/node/node-transport.js';

/**
 * The Node SDK against the real Tenure server (apps/server) on embedded Postgres (PGlite): the
 * server goes down mid-stream (connections dropped, process state gone) and comes back on the
 * same port and data; afterwards every event is stored exactly once.
 */
const APP = new URL('../../../apps/server/src/app.ts', import.meta.url);
const ADMIN_TOKEN = 'sdk-e2e-admin-token-0123456789';

/** The slice of the server's Fastify app this test touches; imported dynamically (see below). */
interface ServerApp {
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
  server: { closeAllConnections(): void };
  services: {
    db: {
      selectFrom(table: 'events'): {
        select(columns: string[]): { execute(): Promise<Array<Record<string, unknown>>> };
      };
    };
  };
}
type BuildApp = (options: { config: Record<string, unknown> }) => Promise<ServerApp>;

describe.skipIf(!existsSync(fileURLToPath(APP)))('Node SDK against the real server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenure-sdk-e2e-'));
  const config = {
    TENURE_DATA_DIR: dataDir,
    TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
    TENURE_JOBS_INTERVAL_MINUTES: 0,
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores every event once although the server dies and restarts mid-stream', async () => {
    // A runtime import keeps the server's sources out of the SDK's typecheck.
    const { buildApp } = (await import(APP.href)) as { buildApp: BuildApp };
    let app = await buildApp({ config });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(url).port);
    const created = await fetch(`${url}/v1/admin/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'SDK end-to-end' }),
    });
    const { writeKey } = (await created.json()) as { writeKey: string };

    const errors: TenureError[] = [];
    // The real transport, watched: to show that the outage was felt and what the server said.
    const http = nodeTransport(5_000);
    const seen = { failed: 0, duplicates: 0, lostAnswer: false };
    const tenure = new Tenure({
      writeKey,
      host: url,
      transport: {
        async send(request) {
          try {
            const response = await http.send(request);
            if (!seen.lostAnswer && /"sequence":500[,}]/.test(request.body)) {
              // The batch is committed but its answer never arrives: the SDK must resend it.
              seen.lostAnswer = true;
              throw new Error('connection reset after the server committed');
            }
            if (response.status !== 200) seen.failed++;
            else
              seen.duplicates += (
                JSON.parse(response.body ?? '{}') as { duplicates: number }
              ).duplicates;
            return response;
          } catch (error) {
            seen.failed++;
            throw error;
          }
        },
      },
      maxBatchEvents: 50,
      flushInterval: 20,
      retryBaseDelay: 100,
      maxRetryDelay: 1_000,
      onError: (error) => errors.push(error),
    });

    const TOTAL = 3_000;
    for (let sequence = 0; sequence < TOTAL; sequence++) {
      const user = tenure.user({ userId: `u_${sequence % 40}`, accountId: `acct_${sequence % 7}` });
      user.featureUsed('reports', { sequence });
      if (sequence === 1_000) {
        // Down mid-stream: requests in flight lose their connection (some after their events
        // were committed, so the SDK's retry repeats them), new ones are refused.
        app.server.closeAllConnections();
        await app.close();
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      if (sequence === 2_000) {
        app = await buildApp({ config });
        await app.listen({ port, host: '127.0.0.1' });
      }
      if (sequence % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const { unsent } = await tenure.shutdown({ timeout: 30_000 });
    expect(unsent).toEqual([]);
    expect(errors).toEqual([]);
    expect(seen.failed).toBeGreaterThan(0);
    expect(seen.lostAnswer).toBe(true);
    expect(seen.duplicates).toBeGreaterThan(0);

    const rows = await app.services.db
      .selectFrom('events')
      .select(['message_id', 'properties'])
      .execute();
    await app.close();
    const sequences = rows.map((row) => (row['properties'] as { sequence: number }).sequence);
    expect(rows).toHaveLength(TOTAL);
    expect(new Set(rows.map((row) => row['message_id'])).size).toBe(TOTAL);
    expect(sequences.sort((a, b) => a - b)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    // Resends the server recognised (a response lost after commit): stored once all the same.
    console.info(
      `outage: ${seen.failed} failed requests, ${seen.duplicates} events resent and deduplicated`,
    );
  }, 120_000);
});
