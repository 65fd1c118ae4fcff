import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { isDistributed } from './citus/citus-state.js';
import { distribute } from './citus/distribute.js';
import { REFUSED_ON_CITUS } from './citus/refused-migrations.js';
import { migrations } from './migrations/index.js';

/** Kysely's migrator over Tenure's migrations, for stepping to a given one (tests do). */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema.
export function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'tenure_migrations',
    migrationLockTableName: 'tenure_migrations_lock',
  });
}

/** A pending migration cannot run on this database (distributed by Citus); nothing ran. */
export class MigrationRefusedError extends Error {}

/**
 * Brings the schema up to date. Returns Kysely's result set; never throws on a failed step.
 *
 * On a database distributed by Citus, a pending migration that Citus cannot run refuses the
 * whole run before any step, with the reason; after the migrations, the layout is applied
 * again (db/citus/distribute.ts, a few catalog reads when nothing is missing), so a table a
 * later migration added, and listed in the layout, is placed.
 */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema.
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = migratorFor(db);
  const distributed = await isDistributed(db);
  if (distributed) {
    const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt);
    const refused = pending.find((m) => REFUSED_ON_CITUS[m.name]);
    if (refused) {
      const reason = REFUSED_ON_CITUS[refused.name];
      return {
        error: new MigrationRefusedError(
          `Migration ${refused.name} cannot run on a database distributed by Citus: ${reason}. ` +
            'Run it before distributing (tenure migrate, then tenure citus distribute); see ' +
            'docs/operations.md, "Scaling out with Citus".',
        ),
        results: [],
      };
    }
  }
  const result = await migrator.migrateToLatest();
  if (distributed && !result.error) await distribute(db);
  return result;
}
