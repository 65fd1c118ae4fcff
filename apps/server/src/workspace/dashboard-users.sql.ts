import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.types.js';
import type { DashboardUser, WorkspaceRole } from '../db/tables/workspace.table.js';

export interface Membership {
  projectId: string;
  projectName: string;
  role: WorkspaceRole;
}

/** Addresses compare case-insensitively: `Ann@Example.com` and `ann@example.com` are one user. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Db, email: string): Promise<DashboardUser | undefined> {
  return db
    .selectFrom('dashboard_users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
}

export async function findUserById(db: Db, userId: string): Promise<DashboardUser | undefined> {
  return db.selectFrom('dashboard_users').selectAll().where('id', '=', userId).executeTakeFirst();
}

/** Inserts a user; `undefined` when the email is taken (the unique index decides, not a race). */
export async function insertUser(
  db: Db,
  input: { email: string; passwordHash: string },
): Promise<{ id: string; email: string } | undefined> {
  const row = await db
    .insertInto('dashboard_users')
    .values({
      id: `usr_${randomBytes(9).toString('base64url')}`,
      email: normalizeEmail(input.email),
      password_hash: input.passwordHash,
    })
    .onConflict((conflict) => conflict.column('email').doNothing())
    .returning(['id', 'email'])
    .executeTakeFirst();
  return row;
}

export async function membershipsOf(db: Db, userId: string): Promise<Membership[]> {
  const rows = await db
    .selectFrom('dashboard_memberships')
    .innerJoin('projects', 'projects.id', 'dashboard_memberships.project_id')
    .select(['projects.id', 'projects.name', 'dashboard_memberships.role'])
    .where('dashboard_memberships.user_id', '=', userId)
    .orderBy('projects.name')
    .orderBy('projects.id')
    .execute();
  return rows.map((row) => ({ projectId: row.id, projectName: row.name, role: row.role }));
}

/** Grants `role` on the project, replacing any earlier role there. */
export async function setMembership(
  db: Db,
  input: { userId: string; projectId: string; role: WorkspaceRole },
): Promise<void> {
  await db
    .insertInto('dashboard_memberships')
    .values({ user_id: input.userId, project_id: input.projectId, role: input.role })
    .onConflict((conflict) =>
      conflict.columns(['user_id', 'project_id']).doUpdateSet({ role: input.role }),
    )
    .execute();
}

/** Removes the membership; whether there was one. */
export async function removeMembership(
  db: Db,
  input: { userId: string; projectId: string },
): Promise<boolean> {
  const result = await db
    .deleteFrom('dashboard_memberships')
    .where('user_id', '=', input.userId)
    .where('project_id', '=', input.projectId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('dashboard_users')
    .set({ password_hash: passwordHash })
    .where('id', '=', userId)
    .execute();
}
