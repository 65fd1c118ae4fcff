import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.types.js';
import {
  findUserByEmail,
  insertUser,
  setMembership,
  setPasswordHash,
} from '../workspace/dashboard-users.sql.js';
import { hashPassword, verifyPassword } from '../workspace/password-hash.js';

export const DEMO_EMAIL = 'demo@tenure.local';

export interface DemoSignIn {
  email: string;
  password: string;
}

/**
 * The demo's workspace user, admin of the demo project. The password is generated (a demo
 * on a reachable port must not open with a password everyone knows) and, since only its hash
 * is in the database, also kept in the data folder to be printed again on the next start.
 */
export async function ensureDemoUser(
  db: Db,
  dataDir: string,
  projectId: string,
): Promise<DemoSignIn> {
  const file = join(dataDir, 'demo-sign-in.json');
  const saved = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as DemoSignIn)
    : undefined;
  const user = await findUserByEmail(db, DEMO_EMAIL);
  let signIn: DemoSignIn;
  if (user && saved && (await verifyPassword(saved.password, user.password_hash))) {
    signIn = saved;
  } else {
    signIn = { email: DEMO_EMAIL, password: randomBytes(9).toString('base64url') };
    const passwordHash = await hashPassword(signIn.password);
    if (user) await setPasswordHash(db, user.id, passwordHash);
    else await insertUser(db, { email: DEMO_EMAIL, passwordHash });
    writeFileSync(file, JSON.stringify(signIn, null, 2), { mode: 0o600 });
  }
  const userId = (await findUserByEmail(db, DEMO_EMAIL))!.id;
  await setMembership(db, { userId, projectId, role: 'admin' });
  return signIn;
}
