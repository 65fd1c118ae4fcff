import { ImportError } from '../import/import-error.js';

export async function stripeImportCommand(_args: string[]): Promise<void> {
  throw new ImportError('tenure import stripe is not available yet');
}
