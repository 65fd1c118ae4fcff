import type { Db } from '../db/database.types.js';

/**
 * Projects with at least one live webhook: the only ones alert detection has work for. Read
 * here rather than through webhooks/ (which imports alerts/ for the payloads it delivers), so
 * that the two contexts do not import each other. Asked project by project, so that on Citus
 * each question goes to one node (docs/operations.md).
 */
export async function projectsWithWebhooks(db: Db): Promise<string[]> {
  const projects = await db.selectFrom('projects').select('id').orderBy('id').execute();
  const found: string[] = [];
  for (const { id } of projects) {
    const live = await db
      .selectFrom('webhooks')
      .select('id')
      .where('project_id', '=', id)
      .where('deleted_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    if (live) found.push(id);
  }
  return found;
}
