import { rotateKey } from '../admin/projects.js';
import { findProjectByKey, insertKey } from '../auth/api-keys.js';
import type { Db } from '../db/database.types.js';
import type { DemoGeneration } from '../db/tables/demo-generations.table.js';

export const DEMO_PROJECT_ID = 'demo';

/** The demo project's generation row, if this database has one. */
export function findDemoGeneration(db: Db): Promise<DemoGeneration | undefined> {
  return db
    .selectFrom('demo_generations')
    .selectAll()
    .where('project_id', '=', DEMO_PROJECT_ID)
    .executeTakeFirst();
}

/** Creates the demo project, its keys and its generation row in one transaction. */
export async function startDemoGeneration(
  db: Db,
  size: { accounts: number; days: number },
): Promise<DemoGeneration> {
  return db.transaction().execute(async (tx) => {
    const exists = await tx
      .selectFrom('projects')
      .select('id')
      .where('id', '=', DEMO_PROJECT_ID)
      .executeTakeFirst();
    if (!exists) {
      await tx.insertInto('projects').values({ id: DEMO_PROJECT_ID, name: 'Demo' }).execute();
    }
    const generation = {
      project_id: DEMO_PROJECT_ID,
      write_key: await insertKey(tx, DEMO_PROJECT_ID, 'write'),
      secret_key: await insertKey(tx, DEMO_PROJECT_ID, 'secret'),
      accounts: size.accounts,
      days: size.days,
      window_end: new Date(),
    };
    return tx
      .insertInto('demo_generations')
      .values(generation)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function finishDemoGeneration(db: Db): Promise<void> {
  await db
    .updateTable('demo_generations')
    .set({ finished_at: new Date() })
    .where('project_id', '=', DEMO_PROJECT_ID)
    .execute();
}

/**
 * The stored keys, replaced by new ones if they no longer open the project (rotated through the
 * admin API since), so the keys the demo prints always work.
 */
export async function workingDemoKeys(db: Db, generation: DemoGeneration): Promise<DemoGeneration> {
  const keys = { write_key: generation.write_key, secret_key: generation.secret_key };
  if (!(await findProjectByKey(db, keys.write_key, 'write'))) {
    keys.write_key = (await rotateKey(db, DEMO_PROJECT_ID, 'write')) ?? keys.write_key;
  }
  if (!(await findProjectByKey(db, keys.secret_key, 'secret'))) {
    keys.secret_key = (await rotateKey(db, DEMO_PROJECT_ID, 'secret')) ?? keys.secret_key;
  }
  if (keys.write_key === generation.write_key && keys.secret_key === generation.secret_key) {
    return generation;
  }
  await db
    .updateTable('demo_generations')
    .set(keys)
    .where('project_id', '=', DEMO_PROJECT_ID)
    .execute();
  return { ...generation, ...keys };
}

/** Keeps the demo user's generated workspace password with the demo's keys. */
export async function saveDemoWorkspacePassword(db: Db, password: string): Promise<void> {
  await db
    .updateTable('demo_generations')
    .set({ workspace_password: password })
    .where('project_id', '=', DEMO_PROJECT_ID)
    .execute();
}
