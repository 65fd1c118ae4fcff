import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.types.js';

export interface NewSession {
  /** The cookie's value: shown to the browser once, stored only as a hash. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface ActiveSession {
  userId: string;
  email: string;
  csrfToken: string;
  expiresAt: Date;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session of `ttlSeconds` for the user: 256-bit random token and CSRF token. */
export async function createSession(
  db: Db,
  userId: string,
  ttlSeconds: number,
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  // The person's expired sessions go now, so the table holds about one row per live sign-in.
  await db
    .deleteFrom('dashboard_sessions')
    .where('user_id', '=', userId)
    .where('expires_at', '<=', new Date())
    .execute();
  await db
    .insertInto('dashboard_sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/** The session of the cookie's token, if it exists and has not expired. */
export async function findActiveSession(db: Db, token: string): Promise<ActiveSession | undefined> {
  const row = await db
    .selectFrom('dashboard_sessions')
    .innerJoin('dashboard_users', 'dashboard_users.id', 'dashboard_sessions.user_id')
    .select([
      'dashboard_sessions.user_id',
      'dashboard_users.email',
      'dashboard_sessions.csrf_token',
      'dashboard_sessions.expires_at',
    ])
    .where('dashboard_sessions.token_hash', '=', hashToken(token))
    .where('dashboard_sessions.expires_at', '>', new Date())
    .executeTakeFirst();
  return (
    row && {
      userId: row.user_id,
      email: row.email,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    }
  );
}

/** Ends the session of the token (sign-out), and clears expired sessions of everyone. */
export async function deleteSession(db: Db, token: string): Promise<void> {
  await db
    .deleteFrom('dashboard_sessions')
    .where((eb) =>
      eb.or([eb('token_hash', '=', hashToken(token)), eb('expires_at', '<=', new Date())]),
    )
    .execute();
}
