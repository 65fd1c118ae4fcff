import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';
import { seedProject } from '../../seed/seed-project.js';
import { DAY_MS } from '../../time/utc-day.js';
import { scoreAccounts } from '../score-accounts.js';
import { saveTraining } from './model-store.sql.js';
import type { TrainingReport } from './training-report.js';

describe.each(engines)('model training on %s', (engine) => {
  let t: TestApp;
  const auth = () => ({ authorization: `Bearer ${t.secretKey}` });

  // About 200,000 events through the real writer: up to a minute on a busy 2-core machine.
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedProject(t.app.services.writer, t.projectId, { accounts: 120, days: 210, seed: 3 });
  }, 240_000);
  afterAll(() => t.close());

  it('trains on generated history and backtests on a later held-out window', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/model/train',
      headers: auth(),
      payload: { horizonDays: 45 },
    });
    expect(response.statusCode).toBe(200);
    const run = response.json() as { id: string; adopted: boolean; report: TrainingReport };
    const { report } = run;
    expect(report.training.churned).toBeGreaterThanOrEqual(10);
    expect(report.evaluation.churned).toBeGreaterThanOrEqual(5);
    // No look-ahead: every training label (snapshot + horizon) was known at the split.
    for (const snapshot of report.training.snapshots) {
      expect(Date.parse(snapshot) + 45 * DAY_MS).toBeLessThanOrEqual(Date.parse(report.splitAt));
    }
    for (const snapshot of report.evaluation.snapshots) {
      expect(Date.parse(snapshot)).toBeGreaterThanOrEqual(Date.parse(report.splitAt));
      expect(Date.parse(snapshot) + 45 * DAY_MS).toBeLessThanOrEqual(Date.now());
    }
    expect(report.default.auc).toBeGreaterThan(0.7);
    expect(report.learned.auc).toBeGreaterThan(0.6);
    expect(report.default.calibration).toHaveLength(10);
    expect(run.adopted).toBe(report.learned.auc! > report.default.auc!);

    const model = (await t.app.inject({ method: 'GET', url: '/v1/model', headers: auth() })).json();
    expect(model.latestTraining.id).toBe(run.id);
    expect(model.inUse).toBe(run.adopted ? 'learned' : 'default');
  });

  it('scores with an adopted model only from its creation on', async () => {
    const created = new Date(Date.now() - 3 * DAY_MS);
    const points = { days_since_last_login: 80, tickets_without_follow_up: 20 };
    const report = {
      trainedAt: created.toISOString(),
      adopted: true,
    } as unknown as TrainingReport;
    await saveTraining(
      t.app.services.db,
      t.projectId,
      {
        kind: 'learned',
        points,
        baseLogit: -3,
        pointsPerLogit: 20,
        coefficients: {},
        means: {},
        scales: {},
      },
      report,
    );
    const [now] = await scoreAccounts(t.app.services.db, t.projectId);
    expect(now?.model).toBe('learned');
    const [recency] = now!.factors;
    expect(recency?.key).toMatch(/days_since_last_login|tickets_without_follow_up/);
    expect(now!.factors.find((f) => f.key === 'kb_usage')?.contribution).toBe(0);
    const [before] = await scoreAccounts(t.app.services.db, t.projectId, {
      asOf: new Date(created.getTime() - DAY_MS),
    });
    expect(before?.model).toBe('default');
  });
});
