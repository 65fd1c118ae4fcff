import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../../test/test-app.js';
import { engines, openTestDatabase } from '../../test/test-database.js';
import { createProject, type ProjectCredentials } from '../admin/projects.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { DAY_MS } from '../time/utc-day.js';
import { deliverDue } from '../webhooks/deliver-webhooks.js';
import { verifySignature } from '../webhooks/webhook-signature.js';
import { detectTransitions } from './detect-transitions.js';

const NOW = Date.now();
const daysAgo = (days: number) => new Date(NOW - days * DAY_MS);

/** An HTTP receiver that records what it gets and can be told to fail. */
function receiver() {
  const received: Array<{
    headers: Record<string, string | string[] | undefined>;
    body: string;
    status: number;
  }> = [];
  const state = { failing: false };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const status = state.failing ? 500 : 200;
      received.push({ headers: request.headers, body, status });
      response.writeHead(status).end();
    });
  });
  return { server, received, state };
}

/** acme: two users log in and use reports every day from 90 to 40 days ago, a milestone 35 days ago, then silence. */
function history() {
  const batch: object[] = [
    {
      type: 'group',
      userId: 'u1',
      groupId: 'acme',
      traits: { name: 'Acme', plan: 'pro', mrr: 400 },
      timestamp: daysAgo(90).toISOString(),
    },
    { type: 'group', userId: 'u2', groupId: 'acme', timestamp: daysAgo(90).toISOString() },
  ];
  for (let day = 90; day >= 40; day -= 1) {
    for (const userId of ['u1', 'u2']) {
      const at = daysAgo(day).getTime();
      batch.push({
        type: 'track',
        userId,
        event: 'login',
        timestamp: new Date(at).toISOString(),
        context: { groupId: 'acme' },
      });
      batch.push({
        type: 'track',
        userId,
        event: 'feature_used',
        properties: { feature: 'reports' },
        timestamp: new Date(at + 60_000).toISOString(),
        context: { groupId: 'acme' },
      });
    }
  }
  batch.push({
    type: 'track',
    userId: 'u1',
    event: 'milestone_reached',
    properties: { milestone: 'first_report_shared' },
    timestamp: daysAgo(35).toISOString(),
    context: { groupId: 'acme' },
  });
  return batch.map((message, i) => ({ messageId: `h${i}`, ...message }));
}

/** Detection runs every 3 days from 42 days ago to now. */
const EVALUATIONS = Array.from({ length: 15 }, (_, k) => daysAgo(42 - 3 * k));

describe.each(engines)('early-warning webhooks on %s', (engine) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let project: ProjectCredentials;
  const hook = receiver();
  let receiverUrl: string;
  let webhook: { id: string; secret: string };
  // The receiver is on 127.0.0.1.
  const config = {
    TENURE_ADMIN_TOKEN: ADMIN_TOKEN,
    TENURE_JOBS_INTERVAL_MINUTES: 0,
    TENURE_WEBHOOK_PRIVATE_NETWORKS: 'allow',
  };
  const api = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
    key = project.secretKey,
  ) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload }),
    });
  const fast = { baseDelayMs: 20, maxDelayMs: 40, privateNetworks: 'allow' } as const;

  beforeAll(async () => {
    await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hooks`;
    database = await openTestDatabase(engine);
    app = await buildApp({ database, config });
    project = await createProject(app.services.db, { name: 'Alerts' });
    const sent = await app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: `Basic ${Buffer.from(`${project.writeKey}:`).toString('base64')}` },
      payload: { batch: history() },
    });
    expect(sent.json()).toMatchObject({ rejected: [] });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
    await new Promise((resolve) => hook.server.close(resolve));
  });

  it('validates, lists and scopes subscriptions', async () => {
    for (const payload of [
      { url: 'ftp://example.com' },
      { url: 'not a url' },
      { url: receiverUrl, triggers: ['gone'] },
      { url: receiverUrl, scoreIncrease: 0 },
    ]) {
      const response = await api('POST', '/v1/webhooks', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
    const created = await api('POST', '/v1/webhooks', { url: receiverUrl, scoreIncrease: 10 });
    expect(created.statusCode).toBe(201);
    webhook = created.json();
    expect(webhook.secret).toMatch(/^whsec_/);
    expect(created.json().triggers).toEqual([
      'tier_worsened',
      'score_increased',
      'inactive',
      'milestone_reached',
    ]);
    // A webhook subscribed 70 days ago: the milestone 35 days ago is news to it.
    await app.services.db
      .updateTable('webhooks')
      .set({ created_at: daysAgo(70) })
      .execute();
    const listed = (await api('GET', '/v1/webhooks')).json();
    expect(listed.webhooks).toEqual([
      expect.objectContaining({ id: webhook.id, url: receiverUrl }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(webhook.secret);

    const other = await createProject(app.services.db, { name: 'Other' });
    expect((await api('GET', '/v1/webhooks', undefined, other.secretKey)).json()).toEqual({
      webhooks: [],
    });
    expect(
      (await api('DELETE', `/v1/webhooks/${webhook.id}`, undefined, other.secretKey)).statusCode,
    ).toBe(404);
    expect(
      (await api('GET', `/v1/webhooks/${webhook.id}/deliveries`, undefined, other.secretKey))
        .statusCode,
    ).toBe(404);
  });

  it('notifies each transition of a decaying account exactly once, signed, despite failures and a restart', async () => {
    // What should fire, from the risk API at each evaluation time.
    const risks = [];
    for (const asOf of EVALUATIONS) {
      risks.push((await api('GET', `/v1/accounts/acme/risk?asOf=${asOf.toISOString()}`)).json());
    }
    const rank = (tier: string) => ['healthy', 'watch', 'at_risk', 'critical'].indexOf(tier);
    let worse = 0;
    let rises = 0;
    let base = risks[0].score;
    for (let k = 1; k < risks.length; k += 1) {
      if (rank(risks[k].tier) > rank(risks[k - 1].tier)) worse += 1;
      if (risks[k].score - base >= 10) {
        rises += 1;
        base = risks[k].score;
      } else base = Math.min(base, risks[k].score);
    }
    expect(worse).toBeGreaterThan(0);
    expect(rises).toBeGreaterThan(0);
    const expected = {
      tier_worsened: worse,
      score_increased: rises,
      inactive: 1,
      milestone_reached: 1,
    };

    // Detection, twice at every time (and concurrently): repeats enqueue nothing.
    for (const asOf of EVALUATIONS) {
      await Promise.all([
        detectTransitions(app.services.db, project.projectId, asOf),
        detectTransitions(app.services.db, project.projectId, asOf),
      ]);
    }

    // The server restarts between detection and delivery.
    await app.close();
    app = await buildApp({ database, config });

    // The receiver fails for two rounds, then recovers; two workers deliver concurrently.
    hook.state.failing = true;
    const total = worse + rises + 2;
    expect(await deliverDue(app.services.db, fast)).toEqual({
      delivered: 0,
      retrying: total,
      failed: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await deliverDue(app.services.db, fast);
    hook.state.failing = false;
    await new Promise((resolve) => setTimeout(resolve, 60));
    await Promise.all([deliverDue(app.services.db, fast), deliverDue(app.services.db, fast)]);

    const delivered = hook.received.filter((request) => request.status === 200);
    const kinds: Record<string, number> = {};
    for (const request of delivered) {
      expect(
        verifySignature(
          webhook.secret,
          request.body,
          request.headers['tenure-signature'] as string,
        ),
      ).toBe(true);
      const payload = JSON.parse(request.body);
      expect(payload.id).toBe(request.headers['tenure-webhook-id']);
      expect(payload.account).toMatchObject({ id: 'acme', name: 'Acme', plan: 'pro' });
      kinds[payload.type.slice('account.'.length)] =
        (kinds[payload.type.slice('account.'.length)] ?? 0) + 1;
    }
    expect(kinds).toEqual(expected);
    expect(delivered).toHaveLength(total);
    expect(new Set(delivered.map((request) => request.headers['tenure-webhook-id'])).size).toBe(
      delivered.length,
    );
    // A tampered body does not verify.
    expect(
      verifySignature(
        webhook.secret,
        `${delivered[0]!.body} `,
        delivered[0]!.headers['tenure-signature'] as string,
      ),
    ).toBe(false);

    const inactive = delivered
      .map((r) => JSON.parse(r.body))
      .find((p) => p.type === 'account.inactive');
    expect(inactive.transition).toMatchObject({ threshold: 21 });
    expect(inactive.risk.topFactors[0].message).toMatch(/No login for \d+ days/);

    const log = (await api('GET', `/v1/webhooks/${webhook.id}/deliveries`)).json();
    expect(log.deliveries).toHaveLength(delivered.length);
    for (const delivery of log.deliveries) {
      expect(delivery.status).toBe('delivered');
      expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([
        500, 500, 200,
      ]);
    }
  });

  it('gives up after the attempt limit, and stops with the webhook', async () => {
    const created = (
      await api('POST', '/v1/webhooks', { url: receiverUrl, triggers: ['milestone_reached'] })
    ).json();
    await app.services.db
      .updateTable('webhooks')
      .set({ created_at: daysAgo(70) })
      .where('id', '=', created.id)
      .execute();
    await detectTransitions(app.services.db, project.projectId, daysAgo(1));
    hook.state.failing = true;
    for (let round = 0; round < 3; round += 1) {
      await deliverDue(app.services.db, { ...fast, maxAttempts: 3 });
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    hook.state.failing = false;
    const log = (await api('GET', `/v1/webhooks/${created.id}/deliveries`)).json();
    expect(log.deliveries).toEqual([
      expect.objectContaining({
        kind: 'milestone_reached',
        status: 'failed',
        lastError: 'HTTP 500',
      }),
    ]);
    expect(log.deliveries[0].attempts).toHaveLength(3);

    expect((await api('DELETE', `/v1/webhooks/${created.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/v1/webhooks/${created.id}/deliveries`)).statusCode).toBe(404);
  });

  it('sends a signed test notification on demand and answers how the receiver took it', async () => {
    const created = (await api('POST', '/v1/webhooks', { url: receiverUrl })).json();
    const test = () => api('POST', `/v1/webhooks/${created.id}/test`);
    const before = hook.received.length;

    const ok = await test();
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      delivered: true,
      statusCode: 200,
      error: null,
      durationMs: expect.any(Number),
    });
    const request = hook.received[before]!;
    expect(request.headers['tenure-event']).toBe('webhook.test');
    expect(
      verifySignature(created.secret, request.body, request.headers['tenure-signature'] as string),
    ).toBe(true);
    expect(JSON.parse(request.body)).toEqual({
      id: request.headers['tenure-webhook-id'],
      type: 'webhook.test',
      projectId: project.projectId,
      webhookId: created.id,
      occurredAt: expect.any(String),
    });

    hook.state.failing = true;
    const failed = (await test()).json();
    hook.state.failing = false;
    expect(failed).toMatchObject({ delivered: false, statusCode: 500, error: 'HTTP 500' });
    expect(hook.received).toHaveLength(before + 2);
    // A test is not a delivery: nothing is queued, retried or logged.
    expect((await api('GET', `/v1/webhooks/${created.id}/deliveries`)).json()).toEqual({
      deliveries: [],
    });
    const unknown = await api('POST', '/v1/webhooks/wh_nope/test');
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'not_found']);
  });

  it('counts delivery attempts by outcome in /metrics', async () => {
    const attempts = async (outcome: string) => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      const line = new RegExp(
        `^tenure_webhook_attempts_total\\{outcome="${outcome}"\\} (\\d+)$`,
        'm',
      );
      return Number(text.match(line)?.[1] ?? 0);
    };
    const created = (await api('POST', '/v1/webhooks', { url: receiverUrl })).json();
    const enqueue = (id: string) =>
      app.services.db
        .insertInto('webhook_deliveries')
        .values({
          project_id: project.projectId,
          id,
          webhook_id: created.id,
          account_id: 'acme',
          kind: 'inactive',
          dedup_key: id,
          payload: JSON.stringify({ id, type: 'account.inactive' }),
          next_attempt_at: new Date(Date.now() - 1_000),
        })
        .execute();
    const [delivered, retrying] = [await attempts('delivered'), await attempts('retrying')];

    await enqueue('del_metrics_ok');
    await app.services.scheduler.runNow('webhook-delivery');
    hook.state.failing = true;
    await enqueue('del_metrics_retry');
    await app.services.scheduler.runNow('webhook-delivery');
    hook.state.failing = false;

    expect([await attempts('delivered'), await attempts('retrying')]).toEqual([
      delivered + 1,
      retrying + 1,
    ]);
  });
});
