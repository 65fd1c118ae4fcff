import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config/config.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { createDashboardUser, MIN_PASSWORD_LENGTH } from '../workspace/create-dashboard-user.js';
import { findUserByEmail, setMembership } from '../workspace/dashboard-users.sql.js';
import { readPassword } from '../workspace/read-password.js';

const optionsSchema = z.object({
  email: z.email('--email must be an email address'),
  project: z.string().min(1, '--project is required'),
  role: z.enum(['admin', 'viewer'], '--role must be admin or viewer'),
});

/**
 * `tenure user create --email E --project P --role R`: a workspace user with a role in a
 * project. The password comes from standard input when it is not a terminal
 * (`echo "$PW" | tenure user create ...`), else from a prompt without echo. An existing user
 * keeps their password and gets the role.
 */
export async function userCreateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string', default: '' },
      project: { type: 'string', default: '' },
      role: { type: 'string', default: 'viewer' },
    },
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    throw new ConfigError(
      `user create: ${parsed.error.issues.map((issue) => issue.message).join('; ')}\n` +
        'Usage: tenure user create --email E --project P --role admin|viewer',
    );
  }
  const { email, project, role } = parsed.data;
  const config = loadConfig(process.env);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.TENURE_DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
  });
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
        throw new ConfigError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
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
}
