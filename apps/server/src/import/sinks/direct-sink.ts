import type { IngestResult } from '@tenure/schema';
import type { DatabaseHandle } from '../../db/open-database.js';
import { AppError } from '../../errors/app-error.js';
import { BatchWriter } from '../../ingest/batch-writer.js';
import { storeBatch } from '../../ingest/store-batch.js';
import { ImportError } from '../import-error.js';
import type { ImportSink } from './import-sink.js';

/**
 * Straight into the database, through the API's own validation (`storeBatch`) and group-commit
 * writer: trusted like the server itself (an operator with database access), so no key and no
 * rate limit; revenue events are accepted as from a server key.
 */
export class DirectSink implements ImportSink {
  readonly destination: string;
  readonly batchEvents = 2_500;
  private readonly writer: BatchWriter;

  private constructor(
    private readonly database: DatabaseHandle,
    private readonly projectId: string,
    private readonly closeDatabase: boolean,
  ) {
    this.destination = `project:${projectId}`;
    this.writer = new BatchWriter(database.db, {
      queueLimit: 100_000,
      flushEvents: 5_000,
      concurrency: database.engine === 'pglite' ? 1 : 2,
    });
  }

  /** `closeDatabase`: closing the sink closes the database too (the CLI's own handle). */
  static async open(
    database: DatabaseHandle,
    projectId: string,
    { closeDatabase = true } = {},
  ): Promise<DirectSink> {
    const project = await database.db
      .selectFrom('projects')
      .select('id')
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!project) throw new ImportError(`There is no project ${projectId} in this database`);
    return new DirectSink(database, projectId, closeDatabase);
  }

  async send(batch: readonly Record<string, unknown>[]): Promise<IngestResult> {
    for (;;) {
      try {
        // Trusted like the secret key: whoever can open the database may write revenue facts.
        return await storeBatch(this.writer, this.projectId, 'server', { batch });
      } catch (error) {
        // The database restarting or the queue full: wait and send the same batch again.
        if (!(error instanceof AppError) || error.status !== 503) throw error;
        await new Promise((resolve) => setTimeout(resolve, (error.retryAfterSeconds ?? 1) * 1000));
      }
    }
  }

  async close(): Promise<void> {
    await this.writer.close();
    if (this.closeDatabase) await this.database.close();
  }
}
