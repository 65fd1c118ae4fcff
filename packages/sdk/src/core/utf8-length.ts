/**
 * Bytes of `text` once encoded as UTF-8, without allocating: the server's limits are in bytes,
 * and a JSON string's `.length` undercounts anything outside ASCII.
 *
 * @example utf8Length('é') // 2
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code < 0xdc00) {
      // A surrogate pair is two UTF-16 units and four UTF-8 bytes.
      bytes += 2;
      i++;
    } else if (code >= 0x80) {
      bytes += code >= 0x800 ? 2 : 1;
    }
  }
  return bytes;
}
