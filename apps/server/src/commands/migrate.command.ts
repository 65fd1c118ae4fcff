import { migrateToLatest } from '../db/migrate.js';
import type { Command } from './command.js';
import { openConfiguredDatabase } from './open-configured-database.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Bring the database schema up to date',
  usage: `Usage: tenure migrate

Runs every pending migration on the configured database (DATABASE_URL, else the embedded
database in TENURE_DATA_DIR) and prints each one. The server also migrates on start.`,
  options: {},
  async run() {
    const { database } = await openConfiguredDatabase();
    try {
      const result = await migrateToLatest(database.db);
      for (const step of result.results ?? []) console.log(`${step.status}: ${step.migrationName}`);
      if (result.error) throw result.error;
      console.log('Schema is up to date.');
    } finally {
      await database.close();
    }
  },
};
