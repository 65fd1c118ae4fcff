import type { Db } from '../db/database.types.js';
import { AppError } from '../errors/app-error.js';
import type { Subject } from './activity.sql.js';
import { seenAsOf } from './profiles.sql.js';

/** When an account or user was first and last seen up to `asOf`; a 404 if not yet by then. */
export async function requireSeen(db: Db, projectId: string, subject: Subject, asOf: Date) {
  const column = subject.kind === 'account' ? 'account_id' : 'user_id';
  const seen = await seenAsOf(db, projectId, column, subject.id, asOf);
  if (!seen) {
    throw new AppError('not_found', {
      message: `No ${subject.kind} ${subject.id} in this project as of ${asOf.toISOString()}`,
    });
  }
  return seen;
}
