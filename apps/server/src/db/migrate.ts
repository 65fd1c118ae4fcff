import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from './migrations/index.js';

/** Brings the schema up to date. Returns Kysely's result set; never throws on a failed step. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema.
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'tenure_migrations',
    migrationLockTableName: 'tenure_migrations_lock',
  });
  return migrator.migrateToLatest();
}
