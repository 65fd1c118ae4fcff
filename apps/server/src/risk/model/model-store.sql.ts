import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '../../db/database.types.js';
import type { ModelWeights } from './model-weights.js';
import type { StoredLearnedWeights, TrainingReport } from './training-report.js';

export interface StoredModel {
  id: string;
  createdAt: string;
  active: boolean;
  weights: StoredLearnedWeights;
  report: TrainingReport;
}

function toStored(row: {
  id: string;
  created_at: Date;
  active: boolean;
  weights: unknown;
  metrics: unknown;
}): StoredModel {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString(),
    active: row.active,
    weights: row.weights as StoredLearnedWeights,
    report: row.metrics as TrainingReport,
  };
}

/**
 * The learned model in use at `asOf`: the latest adopted one created at or before it, so a
 * risk computed as of a past time does not use a model trained on later data. Null = default.
 */
export async function modelInUse(
  db: DbOrTx,
  projectId: string,
  asOf: Date,
): Promise<StoredModel | null> {
  const row = await db
    .selectFrom('risk_models')
    .select(['id', 'created_at', 'active', 'weights', 'metrics'])
    .where('project_id', '=', projectId)
    .where('active', '=', true)
    .where('created_at', '<=', asOf)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

/** The latest training run, adopted or not. */
export async function latestTraining(db: DbOrTx, projectId: string): Promise<StoredModel | null> {
  const row = await db
    .selectFrom('risk_models')
    .select(['id', 'created_at', 'active', 'weights', 'metrics'])
    .where('project_id', '=', projectId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

/** Records a training run; `report.adopted` decides whether it becomes the model in use. */
export async function saveTraining(
  db: DbOrTx,
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
      kind: 'learned',
      weights: JSON.stringify(weights),
      metrics: JSON.stringify(report),
      active: report.adopted,
    })
    .returning(['id', 'created_at', 'active', 'weights', 'metrics'])
    .executeTakeFirstOrThrow();
  return toStored(row);
}

/** The scoring weights of a stored model. */
export function weightsOf(model: StoredModel | null, fallback: ModelWeights): ModelWeights {
  return model ? { kind: 'learned', points: model.weights.points } : fallback;
}
