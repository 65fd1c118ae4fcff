import type { IngestResult } from '@tenure/schema';

/**
 * Where imported batches go: the database directly, or a Tenure server's `POST /v1/batch`.
 * `send` resolves once the batch is committed, with the API's result for it.
 */
export interface ImportSink {
  /** What the checkpoint is keyed by besides the file: importing elsewhere starts afresh. */
  readonly destination: string;
  /** Most messages per batch. */
  readonly batchEvents: number;
  send(batch: readonly Record<string, unknown>[]): Promise<IngestResult>;
  close(): Promise<void>;
}
