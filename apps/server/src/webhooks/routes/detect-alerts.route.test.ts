import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';
import { detectTransitions } from '../../alerts/detect-transitions.js';

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
    // The feed's first look at acme is its baseline, made after the milestone: the feed
    // starts with the project, so the milestone is news to it as well as to the webhook.
    expect(first.json()).toEqual({ alerts: 1, enqueued: 1 });
    expect((await detect()).json()).toEqual({ alerts: 0, enqueued: 0 });
    const deliveries = await t.app.inject({
      method: 'GET',
      url: `/v1/webhooks/${created.json().id}/deliveries`,
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect(deliveries.json().deliveries).toEqual([
      expect.objectContaining({ kind: 'milestone_reached', accountId: 'acme' }),
    ]);
  });

  it('records early warnings in the feed of a project without webhooks, once', async () => {
    await t.ingest([{ type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme' } }]);
    expect((await detect()).json()).toEqual({ alerts: 0, enqueued: 0 });
    await t.ingest([
      {
        type: 'track',
        userId: 'u1',
        event: 'milestone_reached',
        properties: { milestone: 'first_report_shared' },
        context: { groupId: 'acme' },
      },
    ]);
    expect((await detect()).json()).toEqual({ alerts: 1, enqueued: 0 });
    expect((await detect()).json()).toEqual({ alerts: 0, enqueued: 0 });
    const feed = await t.get('/v1/alerts');
    expect(feed.json().alerts).toEqual([
      expect.objectContaining({
        type: 'milestone_reached',
        account: expect.objectContaining({ id: 'acme', name: 'Acme' }),
        transition: expect.objectContaining({ milestone: 'first_report_shared' }),
      }),
    ]);
  });

  it('looks at every account when it goes a slice at a time', async () => {
    const accounts = ['a1', 'a2', 'a3', 'a4', 'a5'];
    await t.ingest(
      accounts.map((id) => ({
        type: 'group',
        userId: `${id}-u`,
        groupId: id,
        traits: { name: id },
      })),
    );
    const { db } = t.app.services;
    expect(await detectTransitions(db, t.projectId, new Date(), { slice: 2 })).toEqual({
      alerts: 0,
      enqueued: 0,
    });
    await t.ingest(
      accounts.map((id) => ({
        type: 'track',
        userId: `${id}-u`,
        event: 'milestone_reached',
        properties: { milestone: 'onboarded' },
        context: { groupId: id },
      })),
    );
    expect(await detectTransitions(db, t.projectId, new Date(), { slice: 2 })).toEqual({
      alerts: 5,
      enqueued: 0,
    });
    const feed = (await t.get('/v1/alerts')).json().alerts;
    expect(feed.map((alert: { account: { id: string } }) => alert.account.id).sort()).toEqual(
      accounts,
    );
  });

  it('takes new settings as a new baseline, not as accounts changing', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { url: 'http://127.0.0.1:9/hook' },
    });
    // Never logged in: a score well above 0, healthy under cut-offs above it.
    await t.ingest([{ type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme' } }]);
    const settings = (tierCutoffs: object) =>
      t.app.inject({
        method: 'PUT',
        url: '/v1/settings',
        headers: { authorization: `Bearer ${t.secretKey}` },
        payload: { tierCutoffs },
      });
    expect((await settings({ watch: 98, at_risk: 99, critical: 100 })).statusCode).toBe(200);
    expect((await detect()).json()).toEqual({ alerts: 0, enqueued: 0 });
    const risk = (await t.get('/v1/accounts/acme/risk')).json();
    expect(risk.tier).toBe('healthy');
    expect(risk.score).toBeGreaterThan(2);
    // The same account, worse tier by the new cut-offs only.
    expect((await settings({ watch: 1, at_risk: 2, critical: 100 })).statusCode).toBe(200);
    expect((await t.get('/v1/accounts/acme/risk')).json().tier).toBe('at_risk');
    expect((await detect()).json()).toEqual({ alerts: 0, enqueued: 0 });
    expect((await t.get('/v1/alerts')).json().alerts).toEqual([]);
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
