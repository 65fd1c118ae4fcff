import type { ModelMetrics } from './evaluate-models.js';

/** What a training run found: stored with the model and returned by the model endpoints. */
export interface TrainingReport {
  trainedAt: string;
  horizonDays: number;
  /** Training labels were all known by this time; evaluation snapshots start here. */
  splitAt: string;
  training: SampleSummary;
  evaluation: SampleSummary;
  default: ModelMetrics;
  learned: ModelMetrics;
  adopted: boolean;
  decision: string;
}

export interface SampleSummary {
  snapshots: string[];
  /** Account snapshots (an account appears once per snapshot). */
  rows: number;
  churned: number;
}

/** The weights stored for a learned model (`risk_models.weights`). */
export interface StoredLearnedWeights {
  kind: 'learned';
  /** Points at full severity, by factor key: what scores are computed with. */
  points: Record<string, number>;
  baseLogit: number;
  pointsPerLogit: number;
  /** Coefficients on standardized severities, with the standardization, by factor key. */
  coefficients: Record<string, number>;
  means: Record<string, number>;
  scales: Record<string, number>;
}
