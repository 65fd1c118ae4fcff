import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/test-app.js';
import { engines } from '../../../test/test-database.js';
import { createProject } from '../../admin/projects.js';
import { DAY_MS } from '../../time/utc-day.js';
import { tierOf } from '../risk-tier.js';
import { scoreAccounts, scoringInputs } from '../score-accounts.js';
import { churnHistory } from './churn-history.fixture.js';
import { churnTimes } from './churn-times.sql.js';
import { modelInputs } from './model-inputs.js';
import {
  activityDays,
  epochDay,
  featureBitsOf,
  lifetimeTotals,
  stateOfFeatures,
} from './model-inputs.sql.js';
import { modelInUse, saveTraining } from './model-store.sql.js';
import { snapshotRows } from './snapshot-rows.js';
import { trainModel } from './train-model.js';

const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const start = new Date(today - 330 * DAY_MS);
/** Training as of here leaves 40 days of later events, cancellations and plan changes. */
const asOf = new Date(today - 40 * DAY_MS + 13 * 3_600_000);
const history = churnHistory({ accounts: 100, start, days: 330, seed: 7 });

describe.each(engines)('training as of a time on %s', (engine) => {
  let t: TestApp;
  let truncated: string;
  const auth = () => ({ authorization: `Bearer ${t.secretKey}` });
  const post = (url: string, payload: object, key = t.secretKey) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload });
  const runs = async (projectId: string) =>
    (
      await t.app.services.db
        .selectFrom('risk_models')
        .select('id')
        .where('project_id', '=', projectId)
        .execute()
    ).length;

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (let i = 0; i < history.length; i += 2_000) await t.ingest(history.slice(i, i + 2_000));
    // The same history cut at asOf, in a project of its own.
    const copy = await createProject(t.app.services.db, { name: 'Up to asOf' });
    truncated = copy.projectId;
    const upToAsOf = history.filter((message) => message.timestamp <= asOf.toISOString());
    // Subscription events are revenue facts: the secret key sends them.
    const auth = `Bearer ${copy.secretKey}`;
    for (let i = 0; i < upToAsOf.length; i += 2_000) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: auth },
        payload: { batch: upToAsOf.slice(i, i + 2_000) },
      });
      expect(response.json().rejected).toEqual([]);
    }
  }, 240_000);
  afterAll(() => t.close());

  it('learns only from what was known at asOf: the same model as on a copy cut there', async () => {
    const full = await trainModel(t.app.services.db, t.projectId, { asOf, save: false });
    const cut = await trainModel(t.app.services.db, truncated, { asOf, save: false });
    expect(full.report.training.churned).toBeGreaterThanOrEqual(10);
    expect(full.model.beta).toEqual(cut.model.beta);
    expect(full.model.calibration).toEqual(cut.model.calibration);
    const { trainedAt: _a, durationMs: _b, ...fullReport } = full.report;
    const { trainedAt: _c, durationMs: _d, ...cutReport } = cut.report;
    expect(fullReport).toEqual(cutReport);
    // No label was read past asOf: every held-out horizon ended by then.
    for (const snapshot of full.report.evaluation.snapshots) {
      expect(Date.parse(snapshot) + 60 * DAY_MS).toBeLessThanOrEqual(asOf.getTime());
    }
  });

  it('gives a snapshot row the inputs that scoring reads for the same account and time', async () => {
    const db = t.app.services.db;
    const at = new Date(asOf.getTime() - 30 * DAY_MS);
    const [churn, features] = await Promise.all([
      churnTimes(db, t.projectId, asOf),
      featureBitsOf(db, t.projectId, at),
    ]);
    const rows = await snapshotRows(db, t.projectId, {
      times: [at],
      horizonDays: 60,
      churn,
      features,
      maxRetainedRows: Number.POSITIVE_INFINITY,
      sampleBefore: 0,
    });
    const scored = await scoringInputs(db, t.projectId, at);
    const asOfDay = epochDay(at);
    const accountIds = scored.features.map((account) => account.accountId);
    const [days, totals] = await Promise.all([
      activityDays(db, t.projectId, {
        fromDay: asOfDay - 56,
        toDay: asOfDay,
        accountIds,
        features,
      }),
      lifetimeTotals(db, t.projectId, { asOfDay, accountIds }),
    ]);
    const served = new Map(
      scored.features.map((account) => [
        account.accountId,
        modelInputs(
          stateOfFeatures(account, asOfDay),
          days.get(account.accountId) ?? [],
          totals.get(account.accountId) ?? { logins: 0, activeDays: 0, featureUses: 0 },
          asOfDay,
        ),
      ]),
    );
    expect(rows.length).toBe(served.size);
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) expect(row.inputs, row.accountId).toEqual(served.get(row.accountId));
  });

  it('trains through the API as of a time and answers with that model from then on', async () => {
    const response = await post('/v1/model/train', { asOf: asOf.toISOString(), horizonDays: 60 });
    expect(response.statusCode).toBe(200);
    const trained = response.json();
    expect(trained.trainedAsOf).toBe(asOf.toISOString());
    expect(trained.report.learned.auc).toBeGreaterThan(0.6);
    expect(trained.report.learned.calibration.length).toBeGreaterThan(0);
    expect(trained.report.decision).toMatch(trained.adopted ? /adopted/ : /kept/);

    // Whatever this run's held-out comparison decided, the answers are checked with a model
    // trained as of the same time and adopted, so the checks below always run.
    const db = t.app.services.db;
    const run = await trainModel(db, t.projectId, { asOf, save: false });
    const adopted = await saveTraining(db, t.projectId, run.model, {
      ...run.report,
      adopted: true,
    });
    expect(await modelInUse(db, t.projectId, new Date(asOf.getTime() - DAY_MS))).toBeNull();
    expect((await modelInUse(db, t.projectId, asOf))?.id).toBe(adopted.id);
    const [before] = await scoreAccounts(db, t.projectId, {
      asOf: new Date(asOf.getTime() - DAY_MS),
    });
    expect(before?.model).toBe('default');
    expect(before?.churnProbability).toBeNull();

    const risks = await scoreAccounts(db, t.projectId);
    expect(risks.length).toBeGreaterThan(10);
    for (const risk of risks) {
      expect(risk.model).toBe('learned');
      expect(risk.churnProbability).toBeGreaterThan(0);
      expect(risk.churnProbability).toBeLessThan(1);
      // Contributions add up to the score, to the tenth.
      const sum = risk.factors.reduce((total, factor) => total + factor.contribution, 0);
      expect(Math.round(sum * 10) / 10 || 0).toBe(risk.score);
    }
    const model = (await t.app.inject({ method: 'GET', url: '/v1/model', headers: auth() })).json();
    expect(model.inUse).toBe('learned');
    expect(model.learnedWeights[0].words).toMatch(/risk \([+−]\d/);

    // Tiers by the calibrated probability, when the settings say so.
    const settings = async (payload: object) =>
      t.app.inject({ method: 'PUT', url: '/v1/settings', headers: auth(), payload });
    const probabilityCutoffs = { watch: 0.05, at_risk: 0.15, critical: 0.3 };
    expect((await settings({ tierBy: 'probability', probabilityCutoffs })).statusCode).toBe(200);
    try {
      const byProbability = await scoreAccounts(db, t.projectId);
      expect(byProbability.map((risk) => risk.tier)).toEqual(
        byProbability.map((risk) => tierOf(risk.churnProbability!, probabilityCutoffs)),
      );
      const [first] = byProbability;
      const answer = await t.app.inject({
        method: 'GET',
        url: `/v1/accounts/${encodeURIComponent(first!.accountId)}/risk`,
        headers: auth(),
      });
      expect(answer.json().tier).toBe(tierOf(answer.json().churnProbability, probabilityCutoffs));
    } finally {
      expect((await settings({})).statusCode).toBe(200);
    }
  });

  it('backtests as of a time against what happened after it', async () => {
    const response = await post('/v1/model/backtest', {
      asOf: asOf.toISOString().slice(0, 10),
      horizonDays: 30,
      includePredictions: true,
    });
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report.accounts).toBe(report.predictions.length);
    expect(report.churned).toBe(
      report.predictions.filter((p: { churned: boolean }) => p.churned).length,
    );
    expect(report.churned).toBeGreaterThan(0);
    expect(report.learned.auc).toBeGreaterThan(0.6);
    expect(report.default.auc).not.toBeNull();
    expect(report.recency.auc).not.toBeNull();
  });

  it('refuses bad input with clear codes and changes nothing', async () => {
    const before = await runs(t.projectId);
    const future = new Date(Date.now() + 5 * DAY_MS).toISOString();
    const cases: [string, object, number, string][] = [
      ['/v1/model/train', { asOf: future }, 400, 'as_of_in_future'],
      ['/v1/model/train', { asOf: '2001-01-01' }, 422, 'no_data_before_as_of'],
      ['/v1/model/train', { horizonDays: 3 }, 400, 'invalid_request'],
      ['/v1/model/train', { horizonDays: 400 }, 400, 'invalid_request'],
      [
        '/v1/model/backtest',
        { asOf: new Date(today - 10 * DAY_MS).toISOString() },
        422,
        'horizon_beyond_data',
      ],
      ['/v1/model/backtest', {}, 400, 'invalid_request'],
    ];
    for (const [url, payload, status, code] of cases) {
      const response = await post(url, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.json().error.code, JSON.stringify(payload)).toBe(code);
    }
    expect(await runs(t.projectId)).toBe(before);
  });

  it('refuses a project with no churn (422 insufficient_history) and stores nothing', async () => {
    const calm = await createProject(t.app.services.db, { name: 'No churn' });
    const auth = `Bearer ${calm.secretKey}`;
    const retained = history.filter(
      (message) => (message as { event?: string }).event !== 'subscription_cancelled',
    );
    for (let i = 0; i < retained.length; i += 2_000) {
      await t.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: auth },
        payload: { batch: retained.slice(i, i + 2_000) },
      });
    }
    const response = await post('/v1/model/train', {}, calm.secretKey);
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('insufficient_history');
    expect(await runs(calm.projectId)).toBe(0);
  });

  it('runs a training as a job a client can watch', async () => {
    const started = await post('/v1/model/train', { asOf: asOf.toISOString(), wait: false });
    expect(started.statusCode).toBe(202);
    const job = started.json();
    let state = job;
    for (let i = 0; i < 600 && state.status === 'running'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = (
        await t.app.inject({ method: 'GET', url: `/v1/model/jobs/${job.id}`, headers: auth() })
      ).json();
    }
    expect(state.status).toBe('succeeded');
    expect(state.durationMs).toBeGreaterThan(0);
    expect(state.progress.step).toBe('evaluating');
    expect((state.result as { trainedAsOf: string }).trainedAsOf).toBe(asOf.toISOString());
    const model = state.result as { report: { asOf: string } };
    expect(model.report.asOf).toBe(asOf.toISOString());
  }, 180_000);
});
