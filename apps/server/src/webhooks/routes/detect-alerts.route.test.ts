import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';

describe.each(engines)('POST /v1/alerts/detect on %s', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(engine, { TENURE_WEBHOOK_PRIVATE_NETWORKS: 'allow' });
  });
  afterEach(() => t.close());

  const detect = () =>
    t.app.inject({
      method: 'POST',
      url: '/v1/alerts/detect',
      headers: { authorization: `Bearer ${t.secretKey}` },
    });

  it('enqueues a fresh transition at once, and only once', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { url: 'http://127.0.0.1:9/hook', triggers: ['milestone_reached'] },
    });
    expect(created.statusCode).toBe(201);
    await t.ingest([
      { type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme' } },
      {
        type: 'track',
        userId: 'u1',
        event: 'milestone_reached',
        properties: { milestone: 'first_report_shared' },
        context: { groupId: 'acme' },
      },
    ]);
    const first = await detect();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ enqueued: 1 });
    expect((await detect()).json()).toEqual({ enqueued: 0 });
    const deliveries = await t.app.inject({
      method: 'GET',
      url: `/v1/webhooks/${created.json().id}/deliveries`,
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect(deliveries.json().deliveries).toEqual([
      expect.objectContaining({ kind: 'milestone_reached', accountId: 'acme' }),
    ]);
  });

  it('takes the secret key only', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/alerts/detect',
      headers: { authorization: t.writeAuth },
    });
    expect(response.statusCode).toBe(401);
  });
});
