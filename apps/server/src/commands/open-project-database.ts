import { migrateToLatest } from '../db/migrate.js';
import type { DatabaseHandle } from '../db/open-database.js';
import { openConfiguredDatabase } from './open-configured-database.js';

/** The database of the environment (DATABASE_URL, else TENURE_DATA_DIR), migrated. */
export async function openMigratedDatabase(): Promise<DatabaseHandle> {
  const { database } = await openConfiguredDatabase();
  const migration = await migrateToLatest(database.db);
  if (migration.error) {
    await database.close();
    throw migration.error;
  }
  return database;
}
