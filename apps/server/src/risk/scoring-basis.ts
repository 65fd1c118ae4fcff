import { createHash } from 'node:crypto';
import type { Db } from '../db/database.types.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { modelInUse } from './model/model-store.sql.js';

/**
 * What a project's scores depend on besides its data: its settings and the model in use at
 * `asOf`, as a short hash. A stored score whose basis differs from the current one was made
 * under other settings or another model, so the list says it is stale and a re-scoring pass
 * is due.
 */
export async function scoringBasis(db: Db, projectId: string, asOf: Date): Promise<string> {
  const [settings, model] = await Promise.all([
    getProjectSettings(db, projectId),
    modelInUse(db, projectId, asOf),
  ]);
  return createHash('sha256')
    .update(JSON.stringify({ settings, model: model?.id ?? 'default' }))
    .digest('base64url')
    .slice(0, 16);
}
