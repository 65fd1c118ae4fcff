import type { Db } from '../db/database.types.js';

/**
 * Projects with at least one live webhook: the only ones alert detection has work for. Read
 * here rather than through webhooks/ (which imports alerts/ for the payloads it delivers), so
 * that the two contexts do not import each other.
 */
export async function projectsWithWebhooks(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('webhooks')
    .select('project_id')
    .distinct()
    .where('deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.project_id);
}
