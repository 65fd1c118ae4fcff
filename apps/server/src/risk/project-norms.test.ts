import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';
import { engines } from '../../test/test-database.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { DAY_MS } from '../time/utc-day.js';
import { projectNorms } from './project-norms.js';

const uses = (account: string, feature: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    messageId: `${account}-${feature}-${i}`,
    type: 'track',
    event: 'feature_used',
    properties: { feature },
    userId: `${account}-u`,
    timestamp: new Date(Date.now() - 2 * DAY_MS).toISOString(),
    context: { groupId: account },
  }));

describe.each(engines)('project norms, cached on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(() => t.close());

  it('answers expired norms while they are computed anew, then the new ones', async () => {
    const { db } = t.app.services;
    const norms = () =>
      getProjectSettings(db, t.projectId).then((settings) =>
        projectNorms(db, t.projectId, new Date(), settings),
      );
    await t.ingest(uses('acme', 'reports', 3));
    const first = await norms();
    expect(first.keyFeatures).toEqual(['reports']);

    // Data of an earlier day arrives late: the cached norms stand until they expire.
    await t.ingest([...uses('acme', 'exports', 5), ...uses('globex', 'exports', 5)]);
    expect(await norms()).toBe(first);

    // Expired: the same norms at once, while the renewal runs; the new ones after it.
    const now = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => now + 11 * 60_000);
    expect(await norms()).toBe(first);
    await vi.waitFor(async () => expect((await norms()).keyFeatures).toContain('exports'), {
      timeout: 10_000,
    });
  });
});
