import type { FastifyInstance } from 'fastify';
import { recordFeedHistory } from '../alerts/detect-transitions.js';
import { AppError } from '../errors/app-error.js';
import { trainModel } from '../risk/model/train-model.js';
import { forgetProjectNorms } from '../risk/project-norms.js';
import { backfillSnapshots, takeSnapshots } from '../risk/risk-snapshots.sql.js';
import { scoreAccounts } from '../risk/score-accounts.js';
import { seedProject } from '../seed/seed-project.js';
import type { DemoDataStatus } from './demo-data-status.js';
import { ProgressReporter, type ProgressStream } from './progress-reporter.js';

/**
 * Big enough for every tier, and long enough (240 days) that the churn model has labelled
 * snapshots to train on before its 60-day held-out window.
 */
export const DEMO_SIZE = { accounts: 150, days: 240 };
const DEMO_SEED = 7;

export interface DemoDataOptions {
  accounts: number;
  days: number;
  /** The window's end, fixed when the generation starts so that a resumed one writes the same events. */
  end: Date;
  output?: ProgressStream | undefined;
  /** Kept up to date with each account and step, for the answers given meanwhile. */
  status?: DemoDataStatus | undefined;
  /** Stops the generation between accounts or steps (a resumed start finishes it). */
  signal?: AbortSignal | undefined;
}

/**
 * Fills the demo project: generated accounts through the real ingest path, weekly risk
 * snapshots over the last 8 weeks (so trends show), 4 weeks of early warnings, and a first
 * training of the churn model.
 * The server may already be answering: `status` says where the data stands meanwhile.
 * Every step is idempotent (deterministic message ids, snapshots upserted), so running it again
 * over the same window after an interruption finishes the job without doubling anything.
 */
export async function seedDemoData(
  app: FastifyInstance,
  projectId: string,
  options: DemoDataOptions,
): Promise<string> {
  const { db, writer } = app.services;
  const output = options.output ?? process.stdout;
  const { status, signal } = options;
  const started = performance.now();
  const progress = new ProgressReporter('Generating accounts', options.accounts, output);
  status?.accounts(0, options.accounts);
  const summary = await seedProject(writer, projectId, {
    accounts: options.accounts,
    days: options.days,
    seed: DEMO_SEED,
    end: options.end,
    signal,
    onAccount: (done) => {
      progress.update(done);
      status?.accounts(done, options.accounts);
    },
  });
  progress.done(`${summary.accepted} events written (${summary.duplicates} already there)`);
  forgetProjectNorms(db, projectId);
  signal?.throwIfAborted();
  output.write('Computing 8 weeks of risk snapshots...\n');
  status?.step('computing risk snapshots');
  await backfillSnapshots(db, projectId, { weeks: 8 });
  await takeSnapshots(db, projectId);
  const risks = await scoreAccounts(db, projectId);
  signal?.throwIfAborted();
  output.write('Recording 4 weeks of early warnings...\n');
  status?.step('recording early warnings');
  const alerts = await recordFeedHistory(db, projectId, { days: 28, end: options.end });
  signal?.throwIfAborted();
  output.write('Training the churn model...\n');
  status?.step('training the churn model');
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
    `Demo project ${projectId}: ${summary.accounts} accounts, ${summary.events} events over ${options.days} days ` +
      `(${summary.cancelled} cancelled), ${atRisk.length} at risk or critical now, ${alerts} early warnings ` +
      `in the last 4 weeks; generated in ${seconds} s.`,
    `Churn model: ${model}.`,
  ].join('\n');
}
