/** Where progress goes: a terminal gets a bar redrawn in place, anything else plain lines. */
export interface ProgressStream {
  isTTY?: boolean | undefined;
  write(text: string): unknown;
}

const BAR_WIDTH = 30;

/**
 * Progress of one long step ("Generating demo data", 150 accounts). On a terminal a bar is
 * redrawn at most every 100 ms; otherwise (a log file, CI, a test reading stdout) one line at
 * each tenth, so a log shows steady progress without a line per account.
 */
export class ProgressReporter {
  private lastDraw = 0;
  private lastTenth = -1;
  private readonly started = performance.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: ProgressStream = process.stdout,
  ) {}

  update(done: number): void {
    if (this.stream.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      const filled = Math.round((done / this.total) * BAR_WIDTH);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
      this.stream.write(`\r${this.label} [${bar}] ${done}/${this.total} ${this.elapsed()}`);
      return;
    }
    const tenth = Math.floor((done / this.total) * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.stream.write(`${this.label}: ${done}/${this.total} (${tenth * 10}%) ${this.elapsed()}\n`);
  }

  /** Ends the step with its duration on a line of its own. */
  done(note: string): void {
    if (this.stream.isTTY) this.stream.write('\n');
    this.stream.write(`${this.label}: ${note} in ${this.elapsed()}\n`);
  }

  private elapsed(): string {
    return `${((performance.now() - this.started) / 1000).toFixed(1)} s`;
  }
}
