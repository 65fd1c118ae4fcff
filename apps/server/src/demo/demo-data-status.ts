/** The response header that marks the demo's answers while its data is incomplete. */
export const DEMO_DATA_HEADER = 'tenure-demo-data';

/**
 * Where the demo's data stands, for the `Tenure-Demo-Data` header: the server answers as soon as
 * the demo project exists, while its accounts are still being written, so every answer given
 * before the data is complete says so ("partial, 45 of 150 accounts written"). Once the data is
 * complete the header goes away.
 */
export class DemoDataStatus {
  private note: string | null = null;

  /** The header's value, or null when the data is complete. */
  get header(): string | null {
    return this.note;
  }

  accounts(done: number, total: number): void {
    this.note = `partial, ${done} of ${total} accounts written`;
  }

  step(what: string): void {
    this.note = `partial, all accounts written, ${what}`;
  }

  failed(): void {
    this.note = 'incomplete, the generation failed (see the server output); restart to resume it';
  }

  complete(): void {
    this.note = null;
  }
}
