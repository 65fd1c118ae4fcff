import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.types.js';
import type { StoredLearnedWeights, TrainingReport } from './training-report.js';

export interface StoredModel {
  id: string;
  createdAt: string;
  /** No feature or label the model learned from is later than this. */
  trainedAsOf: string;
  active: boolean;
  weights: StoredLearnedWeights;
  report: TrainingReport;
}

const COLUMNS = ['id', 'created_at', 'trained_as_of', 'active', 'weights', 'metrics'] as const;

function toStored(row: {
  id: string;
  created_at: Date;
  trained_as_of: Date;
  active: boolean;
  weights: unknown;
  metrics: unknown;
}): StoredModel {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString(),
    trainedAsOf: new Date(row.trained_as_of).toISOString(),
    active: row.active,
    weights: row.weights as StoredLearnedWeights,
    report: row.metrics as TrainingReport,
  };
}

/**
 * The learned model in use at `asOf`: the newest adopted one trained as of a time at or before
 * it, so a risk computed as of a past time never uses a model that learned from later data.
 * Null = the default model.
 */
export async function modelInUse(
  db: Db,
  projectId: string,
  asOf: Date,
): Promise<StoredModel | null> {
  const row = await db
    .selectFrom('risk_models')
    .select(COLUMNS)
    .where('project_id', '=', projectId)
    .where('active', '=', true)
    .where('trained_as_of', '<=', asOf)
    .orderBy('trained_as_of', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

/** The latest training run, adopted or not. */
export async function latestTraining(db: Db, projectId: string): Promise<StoredModel | null> {
  const row = await db
    .selectFrom('risk_models')
    .select(COLUMNS)
    .where('project_id', '=', projectId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

/** Records a training run; `report.adopted` decides whether it becomes a model in use. */
export async function saveTraining(
  db: Db,
  projectId: string,
  weights: StoredLearnedWeights,
  report: TrainingReport,
): Promise<StoredModel> {
  const id = `mdl_${randomBytes(8).toString('base64url')}`;
  const row = await db
    .insertInto('risk_models')
    .values({
      project_id: projectId,
      id,
      created_at: report.trainedAt,
      trained_as_of: report.asOf,
      kind: 'learned',
      weights: JSON.stringify(weights),
      metrics: JSON.stringify(report),
      active: report.adopted,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toStored(row);
}
