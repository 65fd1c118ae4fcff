import type { ImportTotals } from './checkpoint-store.js';

export interface ProgressSnapshot {
  file: string;
  totals: ImportTotals;
  /** File bytes read, and the file's size (null for standard input). */
  bytesRead: number;
  totalBytes: number | null;
}

const BAR_WIDTH = 24;
const LOG_EVERY_MS = 5_000;
const DRAW_EVERY_MS = 200;
const count = (n: number) => n.toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * Reports an import's progress on standard error: a bar redrawn in place on a terminal (rows,
 * rate, ETA, accepted / duplicates / rejected), a plain line every 5 s otherwise (logs, CI),
 * so a pipe never fills with carriage returns.
 */
export class ImportProgress {
  private readonly started = Date.now();
  private startRows = 0;
  private startBytes = 0;
  private last = Date.now();

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly tty: boolean = Boolean(process.stderr.isTTY),
  ) {}

  /** Marks where a resumed import began, so the rate counts this run's rows only. */
  begin(snapshot: ProgressSnapshot): void {
    this.startRows = snapshot.totals.rows;
    this.startBytes = snapshot.bytesRead;
  }

  update(snapshot: ProgressSnapshot, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < (this.tty ? DRAW_EVERY_MS : LOG_EVERY_MS)) return;
    this.last = now;
    const line = this.describe(snapshot, now);
    if (this.tty) this.out.write(`\r\x1b[2K${line}`);
    else this.out.write(`${new Date(now).toISOString()} ${line}\n`);
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.tty) this.out.write('\n');
  }

  private describe({ file, totals, bytesRead, totalBytes }: ProgressSnapshot, now: number) {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = (totals.rows - this.startRows) / seconds;
    const parts: string[] = [];
    if (totalBytes !== null && totalBytes > 0) {
      const share = Math.min(bytesRead / totalBytes, 1);
      const filled = Math.round(share * BAR_WIDTH);
      const byteRate = (bytesRead - this.startBytes) / seconds;
      const eta = byteRate > 0 ? (totalBytes - bytesRead) / byteRate : Number.NaN;
      const bar = this.tty ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : '';
      parts.push(`${bar}${(share * 100).toFixed(1)}%`, `ETA ${duration(eta)}`);
    }
    parts.push(
      `${count(totals.rows)} rows`,
      `${count(Math.round(rate))} rows/s`,
      `accepted ${count(totals.accepted)}`,
      `duplicates ${count(totals.duplicates)}`,
      `rejected ${count(totals.rejected)}`,
    );
    return `${file}: ${parts.join(' · ')}`;
  }
}
