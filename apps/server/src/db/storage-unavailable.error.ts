/**
 * The database could not take a write (down, or still failing after the retries): nothing of
 * it was committed, so the caller may retry it whole. Domain code throws this; the HTTP layer
 * answers it as `503 storage_unavailable` with `Retry-After`.
 */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The database is unavailable; retry later', { cause });
    this.name = 'StorageUnavailableError';
  }
}
