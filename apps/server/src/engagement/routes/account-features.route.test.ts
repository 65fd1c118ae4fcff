import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';
import { DAY_MS } from '../../time/utc-day.js';

const NOW = Date.now();
const daysAgo = (days: number) => new Date(NOW - days * DAY_MS).toISOString();

interface FeatureUse {
  feature: string;
  adopted: boolean;
  peerShare: number | null;
}

/**
 * An account on `plan` whose owner logs in `lastLogin` days ago and uses `features` then.
 */
function account(id: string, plan: string, features: string[], lastLogin = 3) {
  const user = `${id}-owner`;
  const context = { groupId: id };
  return [
    {
      type: 'group',
      userId: user,
      groupId: id,
      traits: { name: id, plan },
      timestamp: daysAgo(60),
    },
    { type: 'track', userId: user, event: 'login', context, timestamp: daysAgo(lastLogin) },
    ...features.map((feature) => ({
      type: 'track',
      userId: user,
      event: 'feature_used',
      properties: { feature },
      context,
      timestamp: daysAgo(lastLogin),
    })),
  ];
}

describe.each(engines)('feature adoption against peers on %s', (engine) => {
  let t: TestApp;
  const features = async (accountId: string) => {
    const response = await t.get(`/v1/accounts/${accountId}/features`);
    expect(response.statusCode).toBe(200);
    return response.json() as {
      keyFeatures: FeatureUse[];
      otherFeatures: FeatureUse[];
      peers: { plan: string | null; accounts: number };
    };
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.app.inject({
      method: 'PUT',
      url: '/v1/settings',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { keyFeatures: ['reports', 'exports', 'alerts'] },
    });
    // Team: six retained accounts (four on reports, one on exports) and one gone quiet.
    await t.ingest([
      ...account('t1', 'team', ['reports', 'sso']),
      ...account('t2', 'team', ['reports']),
      ...account('t3', 'team', ['reports', 'exports']),
      ...account('t4', 'team', ['reports']),
      ...account('t5', 'team', []),
      ...account('t6', 'team', []),
      ...account('t7', 'team', ['alerts'], 40),
      // Starter: two accounts, too few to compare with.
      ...account('s1', 'starter', ['reports']),
      ...account('s2', 'starter', []),
    ]);
  });
  afterAll(() => t?.close());

  it("gives each key feature's share among the retained accounts of the plan", async () => {
    const body = await features('t5');
    expect(body.peers).toEqual({ plan: 'team', accounts: 6 });
    expect(body.keyFeatures.map((f) => [f.feature, f.adopted, f.peerShare])).toEqual([
      ['reports', false, 0.667],
      ['exports', false, 0.167],
      // Only the quiet account used alerts, and it is not a retained peer.
      ['alerts', false, 0],
    ]);
    // The same shares for every account of the plan, the account's own use beside them.
    const t1 = await features('t1');
    expect(t1.keyFeatures.map((f) => [f.feature, f.adopted, f.peerShare])).toEqual([
      ['reports', true, 0.667],
      ['exports', false, 0.167],
      ['alerts', false, 0],
    ]);
    expect(t1.otherFeatures).toEqual([
      expect.objectContaining({ feature: 'sso', peerShare: null }),
    ]);
  });

  it('gives no share where the plan has fewer than five peers', async () => {
    const body = await features('s1');
    expect(body.peers).toEqual({ plan: 'starter', accounts: 2 });
    expect(body.keyFeatures.map((f) => f.peerShare)).toEqual([null, null, null]);
  });

  it('compares as of a past time with the peers of then', async () => {
    // 50 days ago no one had logged in within 28 days: no retained peers yet.
    const response = await t.get(`/v1/accounts/t1/features?asOf=${daysAgo(50)}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().peers).toEqual({ plan: 'team', accounts: 0 });
    expect(response.json().keyFeatures.every((f: FeatureUse) => f.peerShare === null)).toBe(true);
  });
});
