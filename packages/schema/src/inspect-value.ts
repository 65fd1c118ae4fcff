export interface ValueInspection {
  /** Nested deeper than the limit (the walk stopped there). */
  tooDeep: boolean;
  /** Size of the value serialized as JSON, in UTF-8 bytes (escape sequences not counted). */
  bytes: number;
  /**
   * Holds a string Postgres text and jsonb cannot store: a NUL character or a lone UTF-16
   * surrogate. Such a string would fail the whole write, so it is refused up front.
   */
  unstorable: boolean;
  /**
   * Holds a number JSON parsing turned into ±Infinity (e.g. `1e400`). JSON cannot carry it
   * back out, so it would be stored as `null`: refused instead of silently changed.
   */
  nonFinite: boolean;
}

// Most strings are ASCII without NUL: one native scan finds them, instead of three in turn.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what it looks for
const NOT_PLAIN_ASCII = /[^\u0001-\u007f]/;

function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // a surrogate pair: 4 bytes for its 2 units
      i += 1;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * One walk over a parsed JSON value for the checks every message needs: depth, size and
 * storable text. Recursion never goes deeper than `maxDepth`, so hostile nesting cannot
 * overflow the stack; and no second serialization is needed to measure the size.
 */
export function inspectValue(value: unknown, maxDepth: number): ValueInspection {
  const result: ValueInspection = { tooDeep: false, bytes: 0, unstorable: false, nonFinite: false };
  const visit = (node: unknown, depth: number) => {
    if (typeof node === 'string') {
      if (!NOT_PLAIN_ASCII.test(node)) {
        result.bytes += node.length + 2;
        return;
      }
      result.bytes += utf8Length(node) + 2;
      if (node.includes('\u0000') || !node.isWellFormed()) result.unstorable = true;
      return;
    }
    if (node === null || typeof node !== 'object') {
      if (typeof node === 'number' && !Number.isFinite(node)) result.nonFinite = true;
      result.bytes += String(node).length;
      return;
    }
    if (depth >= maxDepth) {
      result.tooDeep = true;
      return;
    }
    result.bytes += 2; // the brackets
    let members = 0;
    if (Array.isArray(node)) {
      for (const child of node) {
        visit(child, depth + 1);
        members += 1;
        if (result.tooDeep) return;
      }
    } else {
      for (const key in node) {
        visit(key, depth);
        visit((node as Record<string, unknown>)[key], depth + 1);
        members += 1;
        result.bytes += 1; // the colon
        if (result.tooDeep) return;
      }
    }
    if (members > 1) result.bytes += members - 1; // the commas
  };
  visit(value, 0);
  return result;
}

/** Whether `value` nests objects or arrays deeper than `limit` levels. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  return inspectValue(value, limit).tooDeep;
}
