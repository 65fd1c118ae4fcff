import type { Db } from '../db/database.types.js';

export interface CurrentScoresState {
  /** Basis and UTC day of the last completed full pass (null before the first). */
  basis: string | null;
  scoredDay: string | null;
  /** A full pass under way. */
  pass: { basis: string; day: string; done: number; total: number } | null;
}

/** The project's re-scoring state (an empty state before its first pass). */
export async function readScoresState(db: Db, projectId: string): Promise<CurrentScoresState> {
  const row = await db
    .selectFrom('account_scores_state')
    .selectAll()
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (!row) return { basis: null, scoredDay: null, pass: null };
  return {
    basis: row.basis,
    scoredDay: row.scored_day,
    pass:
      row.pass_basis !== null && row.pass_day !== null
        ? { basis: row.pass_basis, day: row.pass_day, done: row.pass_done, total: row.pass_total }
        : null,
  };
}

/** Records a pass's start or progress. */
export async function recordPassProgress(
  db: Db,
  projectId: string,
  pass: { basis: string; day: string; done: number; total: number },
): Promise<void> {
  const values = {
    pass_basis: pass.basis,
    pass_day: pass.day,
    pass_done: pass.done,
    pass_total: pass.total,
    updated_at: new Date().toISOString(),
  };
  await db
    .insertInto('account_scores_state')
    .values({ project_id: projectId, ...values })
    .onConflict((conflict) => conflict.column('project_id').doUpdateSet(values))
    .execute();
}

/** Records a completed pass: the stored scores are current for its basis and day. */
export async function recordPassDone(
  db: Db,
  projectId: string,
  pass: { basis: string; day: string },
): Promise<void> {
  const values = {
    basis: pass.basis,
    scored_day: pass.day,
    pass_basis: null,
    pass_day: null,
    pass_done: 0,
    pass_total: 0,
    updated_at: new Date().toISOString(),
  };
  await db
    .insertInto('account_scores_state')
    .values({ project_id: projectId, ...values })
    .onConflict((conflict) => conflict.column('project_id').doUpdateSet(values))
    .execute();
}
