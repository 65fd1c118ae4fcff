/**
 * The embedded data folder cannot be used: another process holds it, or it does not open. The
 * message says what happened and what to do; the CLI prints it as a sentence, not a stack.
 */
export class DataFolderError extends Error {
  override name = 'DataFolderError';
}
