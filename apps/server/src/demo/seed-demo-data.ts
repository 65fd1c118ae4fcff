import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { trainModel } from '../risk/model/train-model.js';
import { forgetProjectNorms } from '../risk/project-norms.js';
import { backfillSnapshots, takeSnapshots } from '../risk/risk-snapshots.sql.js';
import { scoreAccounts } from '../risk/score-accounts.js';
import { seedProject } from '../seed/seed-project.js';

/**
 * Big enough for every tier, and long enough (240 days) that the churn model has labelled
 * snapshots to train on before its 60-day held-out window; about a minute on PGlite.
 */
const DEMO = { accounts: 150, days: 240, seed: 7 };

/**
 * Fills the demo project: generated accounts through the real ingest path, weekly risk
 * snapshots over the last 8 weeks (so trends show), and a first training of the churn model.
 */
export async function seedDemoData(app: FastifyInstance, projectId: string): Promise<string> {
  const { db, writer } = app.services;
  const started = performance.now();
  const summary = await seedProject(writer, projectId, DEMO);
  forgetProjectNorms(db, projectId);
  await backfillSnapshots(db, projectId, { weeks: 8 });
  await takeSnapshots(db, projectId);
  const risks = await scoreAccounts(db, projectId);
  let model: string;
  try {
    model = (await trainModel(db, projectId)).report.decision;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    model = `not trained (${error.message})`;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const atRisk = risks.filter((risk) => risk.tier === 'at_risk' || risk.tier === 'critical');
  return [
    `Demo project ${projectId}: ${summary.accounts} accounts, ${summary.accepted} events over ${DEMO.days} days ` +
      `(${summary.cancelled} cancelled), ${atRisk.length} at risk or critical now; ready in ${seconds} s.`,
    `Churn model: ${model}.`,
  ].join('\n');
}
