import { type Config, loadConfig } from '../config/config.js';
import { type DatabaseHandle, openDatabase } from '../db/open-database.js';

/** The database the environment names (DATABASE_URL, else the embedded TENURE_DATA_DIR). */
export async function openConfiguredDatabase(): Promise<{
  config: Config;
  database: DatabaseHandle;
}> {
  const config = loadConfig(process.env);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.TENURE_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  return { config, database };
}
