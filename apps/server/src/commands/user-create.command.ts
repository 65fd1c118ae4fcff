import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../config/config.js';
import { migrateToLatest } from '../db/migrate.js';
import { createDashboardUser, MIN_PASSWORD_LENGTH } from '../workspace/create-dashboard-user.js';
import { findUserByEmail, setMembership } from '../workspace/dashboard-users.sql.js';
import { readPassword } from '../workspace/read-password.js';
import type { Command } from './command.js';
import { openConfiguredDatabase } from './open-configured-database.js';
import { UsageError } from './usage-error.js';

const options = {
  email: { type: 'string', default: '' },
  project: { type: 'string', default: '' },
  role: { type: 'string', default: 'viewer' },
} as const;

const optionsSchema = z.object({
  email: z.email('--email must be an email address'),
  project: z.string().min(1, '--project is required'),
  role: z.enum(['admin', 'viewer'], '--role must be admin or viewer'),
});

/**
 * `tenure user create`: a workspace user with a role in a project. The password comes from
 * standard input when it is not a terminal (`echo "$PW" | tenure user create ...`), else from a
 * prompt without echo. An existing user keeps their password and gets the role.
 */
export const userCreateCommand: Command = {
  name: 'user create',
  summary: 'Create a workspace user with a role in a project',
  usage: `Usage: tenure user create --email <email> --project <id> [--role admin|viewer]

Creates a person who can sign in to the web workspace, with a role in one project, on the
configured database. The password is read from standard input when it is piped
(echo "$PW" | tenure user create ...), else asked for without echo; at least ${MIN_PASSWORD_LENGTH} characters.
A user who exists keeps their password and gets the role in that project.
  --email <email>         The user's email, their sign-in name (required)
  --project <id>          The project they get a role in (required)
  --role admin|viewer     admin may manage keys and settings; viewer only reads (default viewer)`,
  options,
  async run(args) {
    const { values } = parseArgs({ args, options });
    const parsed = optionsSchema.safeParse(values);
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
    }
    const { email, project, role } = parsed.data;
    const { database } = await openConfiguredDatabase();
    try {
      const migration = await migrateToLatest(database.db);
      if (migration.error) throw migration.error;
      const { db } = database;
      const found = await db
        .selectFrom('projects')
        .select('id')
        .where('id', '=', project)
        .executeTakeFirst();
      if (!found) throw new ConfigError(`No project ${project}`);
      const existing = await findUserByEmail(db, email);
      let user: { id: string; email: string };
      if (existing) {
        user = existing;
        console.log(`User ${user.email} exists (${user.id}); the password is unchanged.`);
      } else {
        const password = await readPassword();
        if (password.length < MIN_PASSWORD_LENGTH) {
          throw new ConfigError(
            `The password must have at least ${MIN_PASSWORD_LENGTH} characters`,
          );
        }
        const created = await createDashboardUser(db, { email, password });
        if (!created) throw new ConfigError(`A user with email ${email} already exists`);
        user = created;
        console.log(`User ${created.email} created (${created.id}).`);
      }
      await setMembership(db, { userId: user.id, projectId: project, role });
      console.log(`${user.email} is ${role} of project ${project}.`);
    } finally {
      await database.close();
    }
  },
};
