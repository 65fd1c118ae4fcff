import { loadConfig } from '../config/config.js';
import { migrateToLatest } from '../db/migrate.js';
import { type DatabaseHandle, openDatabase } from '../db/open-database.js';

/** The database of the environment (DATABASE_URL, else TENURE_DATA_DIR), migrated. */
export async function openMigratedDatabase(): Promise<DatabaseHandle> {
  const config = loadConfig(process.env);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.TENURE_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  const migration = await migrateToLatest(database.db);
  if (migration.error) {
    await database.close();
    throw migration.error;
  }
  return database;
}
