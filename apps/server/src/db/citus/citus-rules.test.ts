import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusLane, engines, openTestDatabase } from '../../../test/test-database.js';
import { migrateToLatest } from '../migrate.js';
import type { DatabaseHandle } from '../open-database.js';
import { CITUS_LAYOUT } from './citus-layout.js';
import { layoutViolations } from './layout-rules.js';
import { unpinnedReads } from './project-pins.js';

const SOURCE_ROOT = join(import.meta.dirname, '../..');

function sqlSources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sqlSources(path);
    return entry.name.endsWith('.sql.ts') ? [path] : [];
  });
}

describe('statements in *.sql.ts', () => {
  it('pin every read of a distributed table to one project', () => {
    const files = sqlSources(SOURCE_ROOT);
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap((file) =>
      unpinnedReads(readFileSync(file, 'utf8'), CITUS_LAYOUT.distributed).map(
        (read) => `${relative(SOURCE_ROOT, file)}: ${read}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('catch a read tied to the project only through another table', () => {
    const source = `sql\`select a.account_id, h.traits from accounts a
      left join lateral (select max(c.timestamp) from account_trait_changes c
        where c.project_id = a.project_id and c.account_id = a.account_id) h on true
      where a.project_id = \${projectId}\``;
    expect(unpinnedReads(source, CITUS_LAYOUT.distributed)).toEqual(['account_trait_changes c']);
    const pinned = source.replace('c.project_id = a.project_id', `c.project_id = \${projectId}`);
    expect(unpinnedReads(pinned, CITUS_LAYOUT.distributed)).toEqual([]);
  });

  it('catch a read without any project condition, and a query-builder read', () => {
    const source = `sql\`select count(*) from events where timestamp > now()\`;
      db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'pending')`;
    expect(unpinnedReads(source, CITUS_LAYOUT.distributed)).toEqual([
      'events',
      'webhook_deliveries (query builder)',
    ]);
  });
});

describe.each(engines)('the schema on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    expect((await migrateToLatest(database.db)).error).toBeUndefined();
  });
  afterAll(() => database.close());

  it('holds the Citus layout: every table placed, keys and foreign keys on project_id', async () => {
    expect(await layoutViolations(database.db)).toEqual([]);
  });

  it('is reported when a rule is broken on purpose', async () => {
    const rolledBack = new Error('rolled back');
    const broken = database.db.transaction().execute(async (tx) => {
      await sql`create table stray_notes (project_id text, note text)`.execute(tx);
      await sql`create unique index webhooks_by_url on webhooks (url, project_id)`.execute(tx);
      // Citus itself refuses this foreign key once distributed; elsewhere only the rule does.
      if (!citusLane) {
        await sql`alter table api_keys add constraint api_keys_account foreign key
          (project_id, key_hash) references accounts (project_id, account_id)`.execute(tx);
      }
      expect(await layoutViolations(tx)).toEqual([
        'stray_notes: in no list of CITUS_LAYOUT',
        'webhooks: unique key webhooks_by_url does not start with project_id',
        ...(citusLane ? [] : ['api_keys: foreign key api_keys_account to accounts is forbidden']),
      ]);
      throw rolledBack;
    });
    await expect(broken).rejects.toBe(rolledBack);
    expect(await layoutViolations(database.db)).toEqual([]);
  });
});
