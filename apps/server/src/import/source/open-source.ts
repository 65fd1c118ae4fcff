import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** An input file (or standard input) as a stream of decompressed bytes. */
export interface OpenedSource {
  /** Decompressed bytes, from `startByte` on (plain files) or from the start (gzip). */
  bytes: AsyncIterable<Buffer>;
  gzip: boolean;
  /** Compressed bytes read so far (file bytes): what progress and ETA are measured in. */
  bytesRead(): number;
  /** File size in bytes; null for standard input. */
  totalBytes: number | null;
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function* withFirst(first: Buffer | undefined, rest: AsyncIterator<Buffer>) {
  if (first) yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Opens `path` (`-` is standard input). Gzip is recognised by its magic bytes, not the file
 * name, so `export.json` that is really gzip and `export.gz` that is not both work. A plain
 * file can start at a byte offset (resume); a gzip stream cannot be entered in the middle, so
 * it is always read from the start and the caller skips the committed lines.
 */
export async function openSource(path: string, startByte = 0): Promise<OpenedSource> {
  const stdin = path === '-';
  const totalBytes = stdin ? null : (await stat(path)).size;
  const gzip = stdin ? null : await hasGzipMagic(path);
  let read = 0;
  const counted = async function* (raw: Readable) {
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      read += chunk.length;
      yield chunk;
    }
  };
  if (stdin) {
    // Standard input cannot be peeked twice: its first chunk decides.
    const iterator = counted(process.stdin)[Symbol.asyncIterator]();
    const first = await iterator.next();
    const head = first.done ? undefined : first.value;
    const isGzip = head !== undefined && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    const raw = withFirst(head, iterator);
    return {
      bytes: isGzip ? gunzip(raw) : raw,
      gzip: isGzip,
      bytesRead: () => read,
      totalBytes,
    };
  }
  const start = gzip ? 0 : startByte;
  read = start;
  const raw = counted(createReadStream(path, { start, highWaterMark: 256 * 1024 }));
  return {
    bytes: gzip ? gunzip(raw) : raw,
    gzip: Boolean(gzip),
    bytesRead: () => read,
    totalBytes,
  };
}

async function hasGzipMagic(path: string): Promise<boolean> {
  const stream = createReadStream(path, { start: 0, end: 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const head = Buffer.concat(chunks);
  return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/** Inflates with backpressure: the gunzip stream is pulled, never pushed into without limit. */
async function* gunzip(raw: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const inflater = createGunzip();
  const feeding = (async () => {
    try {
      for await (const chunk of raw) {
        if (!inflater.write(chunk)) {
          await new Promise<void>((resolve) => inflater.once('drain', resolve));
        }
      }
      inflater.end();
    } catch (error) {
      inflater.destroy(error as Error);
    }
  })();
  for await (const chunk of inflater as AsyncIterable<Buffer>) yield chunk;
  await feeding;
}
