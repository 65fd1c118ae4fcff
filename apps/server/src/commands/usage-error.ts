/** A command line that parsed but makes no sense (`--accounts abc`): exit 2 with the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}
