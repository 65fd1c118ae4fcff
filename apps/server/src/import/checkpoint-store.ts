import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Totals of an import so far; a resumed import continues them. */
export interface ImportTotals {
  rows: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** Where an import stands: everything up to `line` / `endByte` is committed. */
export interface Checkpoint {
  version: 1;
  file: string;
  /** Last committed line (1-based); 0 before the first batch. */
  line: number;
  /** Decompressed byte offset just past `line`. */
  endByte: number;
  /** Length of the rejects file at this checkpoint: a resume cuts it back to this. */
  rejectsBytes: number;
  totals: ImportTotals;
  updatedAt: string;
}

/**
 * A file's identity: its size, modification time and the hash of its first 64 KiB. A file
 * that changed since the checkpoint was written is a different file and starts over (its
 * rows that were imported are then duplicates, not doubles).
 */
async function fileIdentity(path: string): Promise<string> {
  const info = await stat(path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { start: 0, end: 65_535 })) hash.update(chunk);
  return `${info.size}:${Math.trunc(info.mtimeMs)}:${hash.digest('hex')}`;
}

/**
 * Checkpoints in a folder (`--state-dir`, `.tenure-import` by default), one JSON file per
 * import: keyed by the file's identity and the destination (project or URL) and the reading
 * options, so the same file imported elsewhere or read differently has its own. Written
 * atomically (a temporary file renamed over the old one): a kill at any moment leaves the
 * previous checkpoint or the next, never half of one.
 */
export class CheckpointStore {
  private constructor(
    private readonly path: string,
    private readonly file: string,
  ) {}

  static async open(dir: string, file: string, scope: unknown): Promise<CheckpointStore> {
    const identity = await fileIdentity(file);
    const key = createHash('sha256')
      .update(JSON.stringify({ identity, scope }))
      .digest('hex')
      .slice(0, 24);
    await mkdir(dir, { recursive: true });
    return new CheckpointStore(join(dir, `${key}.json`), resolve(file));
  }

  async read(): Promise<Checkpoint | null> {
    try {
      const saved = JSON.parse(await readFile(this.path, 'utf8')) as Checkpoint;
      return saved.version === 1 && saved.file === this.file ? saved : null;
    } catch {
      return null;
    }
  }

  async save(state: Omit<Checkpoint, 'version' | 'file' | 'updatedAt'>): Promise<void> {
    const checkpoint: Checkpoint = {
      version: 1,
      file: this.file,
      ...state,
      updatedAt: new Date().toISOString(),
    };
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(checkpoint));
    await rename(temporary, this.path);
  }

  /** A finished import forgets its checkpoint: running it again re-reads (all duplicates). */
  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
