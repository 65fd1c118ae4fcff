/** A mistake in how the import was asked for or in its input: printed without a stack trace. */
export class ImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportError';
  }
}
