import type { Db } from '../db/database.types.js';
import { insertUser } from './dashboard-users.sql.js';
import { hashPassword } from './password-hash.js';

/** Shortest password accepted: NIST SP 800-63B's minimum for a memorised secret. */
export const MIN_PASSWORD_LENGTH = 8;

/** Creates a dashboard user; `undefined` when the email is taken. */
export async function createDashboardUser(
  db: Db,
  input: { email: string; password: string },
): Promise<{ id: string; email: string } | undefined> {
  return insertUser(db, { email: input.email, passwordHash: await hashPassword(input.password) });
}
