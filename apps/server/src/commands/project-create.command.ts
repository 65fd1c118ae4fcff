import { parseArgs } from 'node:util';
import { createProject } from '../admin/projects.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Command } from './command.js';
import { openConfiguredDatabase } from './open-configured-database.js';
import { UsageError } from './usage-error.js';

const options = {
  name: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export const projectCreateCommand: Command = {
  name: 'project create',
  summary: 'Create a project and print its keys',
  usage: `Usage: tenure project create --name <name> [--json]

Creates a project on the configured database and prints its write key and secret key.
Keys are stored hashed: they are shown once.
  --name <name>   The project's name (required)
  --json          Print {"projectId","writeKey","secretKey"} as one JSON line`,
  options,
  async run(args) {
    const { values } = parseArgs({ args, options });
    if (!values.name) throw new UsageError('--name is required');
    const { database } = await openConfiguredDatabase();
    try {
      const migration = await migrateToLatest(database.db);
      if (migration.error) throw migration.error;
      const credentials = await createProject(database.db, { name: values.name });
      if (values.json) console.log(JSON.stringify(credentials));
      else {
        console.log(`Project ${credentials.projectId} created. Keys are shown once:`);
        console.log(`  write key:  ${credentials.writeKey}`);
        console.log(`  secret key: ${credentials.secretKey}`);
      }
    } finally {
      await database.close();
    }
  },
};
