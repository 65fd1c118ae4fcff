import type { ColumnType, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type NullableJson = ColumnType<unknown, string | null | undefined, string | null>;

export interface RiskModelsTable {
  project_id: string;
  id: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  /** No feature or label the model learned from is later than this. */
  trained_as_of: ColumnType<Date, Date | string, never>;
  kind: 'default' | 'learned';
  /** A `StoredLearnedWeights` object (see risk/model/training-report.ts). */
  weights: Json<unknown>;
  /** A `TrainingReport` object: held-out metrics of the learned and the default model. */
  metrics: Json<unknown>;
  active: boolean;
}

export interface RiskSnapshotsTable {
  project_id: string;
  account_id: string;
  taken_at: ColumnType<Date, Date | string, never>;
  score: number;
  tier: string;
  /** The snapshot's `RiskFactor[]`. */
  factors: Json<unknown>;
}

/** A training or backtest run started with `wait: false` (risk/model/model-jobs.ts). */
export interface ModelJobsTable {
  project_id: string;
  id: string;
  kind: 'train' | 'backtest';
  status: 'running' | 'succeeded' | 'failed';
  started_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date;
  progress: NullableJson;
  result: NullableJson;
  error: NullableJson;
}

export type RiskModelRow = Selectable<RiskModelsTable>;
export type RiskSnapshotRow = Selectable<RiskSnapshotsTable>;
