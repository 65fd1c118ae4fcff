import type { IngestResult } from '@tenure/schema';
import type { KeyScope } from '../auth/key-scope.js';
import type { BatchWriter } from './batch-writer.js';
import { prepareBatch } from './prepare-batch.js';

/**
 * Validates a batch body and writes its valid events: the one path from a batch to the
 * database, shared by `POST /v1/batch`, `tenure import` and the Stripe integration, so an
 * importer rejects exactly what the API rejects, with the same code and message. `scope` is
 * what the sender may say (the API passes its key's scope; revenue facts need 'server').
 * `beforeWrite` sees the number of valid events first (the API's rate limit throws from there).
 */
export async function storeBatch(
  writer: BatchWriter,
  projectId: string,
  scope: KeyScope,
  body: unknown,
  beforeWrite: (events: number) => void = () => {},
): Promise<IngestResult> {
  const { records, indexes, rejected, ignoredTraits } = prepareBatch(
    body,
    projectId,
    new Date(),
    scope,
  );
  beforeWrite(records.length);
  const { accepted, duplicates, unstorable } = await writer.write(records);
  for (const { position, reason } of unstorable) {
    rejected.push({
      index: indexes[position]!,
      messageId: records[position]!.message_id,
      code: 'unstorable',
      message: `The database refused this event: ${reason}`,
      path: null,
    });
  }
  if (unstorable.length > 0) rejected.sort((a, b) => a.index - b.index);
  // Said only when it happened, so that answers to ordinary batches keep their shape.
  return ignoredTraits.length > 0
    ? { accepted, duplicates, rejected, ignoredTraits }
    : { accepted, duplicates, rejected };
}
