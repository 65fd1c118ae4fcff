import type { AdditiveModel } from './additive-model.js';
import type { ModelMetrics } from './evaluate-models.js';

/** What a training run found: stored with the model and returned by the model endpoints. */
export interface TrainingReport {
  /** When the run happened (wall clock). */
  trainedAt: string;
  /** What the run knew: no feature or label comes from after this time. */
  asOf: string;
  horizonDays: number;
  /** Fitting labels were all known by this time; held-out snapshots start here. */
  splitAt: string;
  training: SampleSummary;
  evaluation: SampleSummary;
  /** Held-out metrics of each model on the same rows. */
  default: ModelMetrics;
  learned: ModelMetrics;
  recency: ModelMetrics;
  /** Held-out AUC of each L2 penalty tried; the chosen one is the model's `l2`. */
  penalties: { l2: number; auc: number | null }[];
  /** Whether snapshots from the same season of earlier years weighed more (see season-weights.ts). */
  seasonWeighting: boolean;
  adopted: boolean;
  decision: string;
  durationMs: number;
}

export interface SampleSummary {
  snapshots: string[];
  /** Account snapshots (an account appears once per snapshot), before sampling. */
  rows: number;
  churned: number;
}

/**
 * The weights of an earlier kind of learned model (points per factor severity), still read so
 * that a project trained before the additive model keeps its scores until it trains again.
 */
export interface SeverityWeights {
  kind: 'learned';
  points: Record<string, number>;
}

/** `risk_models.weights`. */
export type StoredLearnedWeights = AdditiveModel | SeverityWeights;
