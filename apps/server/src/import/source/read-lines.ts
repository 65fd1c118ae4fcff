/** One line of input, without its line break. */
export interface SourceLine {
  text: string;
  /** 1-based line number in the whole (decompressed) input. */
  line: number;
  /** Decompressed byte offset just past this line's line break. */
  endByte: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into lines, tracking line numbers and byte offsets (what a checkpoint
 * records). Lines are cut on bytes, not characters, so a multi-byte character split between two
 * chunks is decoded whole. A last line without a line break is still a line; `\r\n` is one
 * break. Starts counting at `firstLine` and `firstByte` when resuming mid-file.
 */
export async function* readLines(
  bytes: AsyncIterable<Buffer>,
  firstLine = 1,
  firstByte = 0,
): AsyncGenerator<SourceLine> {
  let line = firstLine;
  let offset = firstByte;
  let carry: Buffer | null = null;
  for await (const chunk of bytes) {
    const buffer: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const end = buffer.indexOf(NEWLINE, start);
      if (end === -1) break;
      const stop = end > start && buffer[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
      offset += end + 1 - start;
      yield { text: buffer.toString('utf8', start, stop), line, endByte: offset };
      line += 1;
      start = end + 1;
    }
    carry = start < buffer.length ? buffer.subarray(start) : null;
  }
  if (carry && carry.length > 0) {
    offset += carry.length;
    yield { text: carry.toString('utf8'), line, endByte: offset };
  }
}
