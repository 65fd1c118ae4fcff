import type { Db } from '../db/database.types.js';
import type { WorkspaceRole } from '../db/tables/workspace.table.js';

/** The person's role in the project, if they are a member. */
export async function roleIn(
  db: Db,
  userId: string,
  projectId: string,
): Promise<WorkspaceRole | undefined> {
  const row = await db
    .selectFrom('dashboard_memberships')
    .select('role')
    .where('user_id', '=', userId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row?.role;
}
