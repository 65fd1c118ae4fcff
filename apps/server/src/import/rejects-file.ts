import { type FileHandle, open } from 'node:fs/promises';

/** One rejected row: where it is in the input, why the API refuses it, and the row itself. */
export interface RejectedRow {
  line: number;
  code: string;
  message: string;
  path: string | null;
  messageId: string | null;
  row: string;
}

/**
 * The rejects file: NDJSON, one rejected row a line, in input order. Opened at the length the
 * checkpoint recorded, so rows written after the last checkpoint (by a run that was killed)
 * are cut off and written again once, not twice.
 */
export class RejectsFile {
  private constructor(
    private readonly handle: FileHandle,
    private bytes: number,
  ) {}

  static async open(path: string, resumeAtBytes: number): Promise<RejectsFile> {
    const handle = await open(path, 'a+');
    await handle.truncate(resumeAtBytes);
    return new RejectsFile(handle, resumeAtBytes);
  }

  /** Bytes written so far: what a checkpoint records. */
  get length(): number {
    return this.bytes;
  }

  async append(rows: readonly RejectedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const text = rows
      .map((row) => JSON.stringify(row))
      .join('\n')
      .concat('\n');
    const buffer = Buffer.from(text);
    await this.handle.write(buffer, 0, buffer.length, this.bytes);
    this.bytes += buffer.length;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
