import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openTestDatabase } from '../../test/test-database.js';
import { createProject } from '../admin/projects.js';
import type { DatabaseHandle, Engine } from '../db/open-database.js';
import type { FieldMapping } from './field-mapping.js';
import { type ImportFormat, importFile } from './import-file.js';
import { ImportProgress } from './import-progress.js';
import { DirectSink } from './sinks/direct-sink.js';

/** A fresh database with one project, a scratch folder, and `run` to import a file into it. */
export async function importFixture(engine: Engine) {
  const database: DatabaseHandle = await openTestDatabase(engine);
  const { migrateToLatest } = await import('../db/migrate.js');
  await migrateToLatest(database.db);
  const { projectId } = await createProject(database.db, { name: 'Import' });
  const dir = mkdtempSync(join(tmpdir(), 'tenure-import-'));
  const progress = () =>
    new ImportProgress(new PassThrough() as unknown as NodeJS.WriteStream, false);
  return {
    database,
    projectId,
    dir,
    path: (name: string) => join(dir, name),
    async run(
      file: string,
      options: { format?: ImportFormat; mappings?: FieldMapping[]; resume?: boolean } = {},
    ) {
      const sink = await DirectSink.open(database, projectId, { closeDatabase: false });
      try {
        return await importFile({
          file,
          format: options.format ?? 'auto',
          mappings: options.mappings ?? [],
          sink,
          stateDir: join(dir, 'state'),
          rejectsPath: `${file}.rejects.ndjson`,
          progress: progress(),
          resume: options.resume,
        });
      } finally {
        await sink.close();
      }
    },
    async events() {
      return database.db
        .selectFrom('events')
        .select(['message_id', 'type', 'event', 'user_id', 'anonymous_id', 'account_id'])
        .select(['timestamp', 'properties'])
        .where('project_id', '=', projectId)
        .orderBy('timestamp')
        .orderBy('message_id')
        .execute();
    },
    async close() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
