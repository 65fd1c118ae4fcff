import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.types.js';
import type { DemoGeneration } from '../db/tables/demo-generations.table.js';
import {
  findUserByEmail,
  insertUser,
  setMembership,
  setPasswordHash,
} from '../workspace/dashboard-users.sql.js';
import { hashPassword, verifyPassword } from '../workspace/password-hash.js';
import { saveDemoWorkspacePassword } from './demo-generation.sql.js';

export const DEMO_EMAIL = 'demo@tenure.local';

export interface DemoSignIn {
  email: string;
  password: string;
}

/**
 * The demo's workspace user, admin of the demo project. The password is generated (a demo
 * on a reachable port must not open with a password everyone knows) and, since only its hash
 * is in the users table, also kept with the demo's keys in `demo_generations`, to be printed
 * again on the next start. A stored password that no longer opens the account (changed since)
 * is replaced, as rotated demo keys are.
 */
export async function ensureDemoUser(db: Db, generation: DemoGeneration): Promise<DemoSignIn> {
  const user = await findUserByEmail(db, DEMO_EMAIL);
  const saved = generation.workspace_password;
  let password: string;
  if (user && saved && (await verifyPassword(saved, user.password_hash))) {
    password = saved;
  } else {
    password = randomBytes(9).toString('base64url');
    const passwordHash = await hashPassword(password);
    if (user) await setPasswordHash(db, user.id, passwordHash);
    else await insertUser(db, { email: DEMO_EMAIL, passwordHash });
    await saveDemoWorkspacePassword(db, password);
  }
  const userId = (await findUserByEmail(db, DEMO_EMAIL))!.id;
  await setMembership(db, { userId, projectId: generation.project_id, role: 'admin' });
  return { email: DEMO_EMAIL, password };
}
