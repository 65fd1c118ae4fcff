import { DAY_MS } from '../../time/utc-day.js';

export interface TrainingPlanInput {
  /** The latest time with data (usually now). */
  end: Date;
  /** When the project's data starts. */
  dataStart: Date;
  /** An account is labelled churned when it cancels within this many days of a snapshot. */
  horizonDays: number;
  /** Days between snapshots. */
  stepDays: number;
  /** Snapshots in the held-out evaluation window. */
  evaluationSnapshots: number;
  /** A snapshot needs this much history before it (trend windows look back 56 days). */
  minHistoryDays: number;
  maxTrainingSnapshots: number;
}

export interface TrainingPlan {
  /** Snapshot times whose labels are known, for fitting. */
  training: Date[];
  /** Later snapshot times, held out for evaluation. */
  evaluation: Date[];
  /** The earliest evaluation snapshot: every training label is known by then. */
  splitAt: Date;
}

/**
 * When to take snapshots for a backtest without look-ahead. Evaluation snapshots are the latest
 * times whose horizon has fully passed (`end − horizon`, then back by `step`). Training
 * snapshots end a full horizon before the first evaluation snapshot, so every training label
 * was observable at the split: a model trained this way could have been trained back then.
 *
 * @example
 * trainingPlan({ end, dataStart, horizonDays: 60, stepDays: 14, evaluationSnapshots: 2,
 *   minHistoryDays: 42, maxTrainingSnapshots: 12 });
 */
export function trainingPlan(input: TrainingPlanInput): TrainingPlan {
  const step = input.stepDays * DAY_MS;
  const horizon = input.horizonDays * DAY_MS;
  const earliest = input.dataStart.getTime() + input.minHistoryDays * DAY_MS;
  const lastEvaluation = floorToDay(input.end.getTime() - horizon);
  const evaluation: Date[] = [];
  for (let k = 0; k < input.evaluationSnapshots; k += 1) {
    const time = lastEvaluation - k * step;
    if (time >= earliest) evaluation.unshift(new Date(time));
  }
  const splitAt = evaluation[0] ?? new Date(lastEvaluation);
  const training: Date[] = [];
  for (let time = splitAt.getTime() - horizon; time >= earliest; time -= step) {
    if (training.length >= input.maxTrainingSnapshots) break;
    training.unshift(new Date(time));
  }
  return { training, evaluation, splitAt };
}

const floorToDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
