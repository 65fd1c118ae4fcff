import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
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

/** Brings the schema up to date. Returns Kysely's result set; never throws on a failed step. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema.
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  return migratorFor(db).migrateToLatest();
}
