import { AppError } from '../errors/app-error.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A request body as text, refusing bytes that are not UTF-8 (400 `invalid_encoding`). Decoding
 * them leniently would store U+FFFD in place of what the sender meant, silently; JSON is UTF-8
 * (RFC 8259), so a Latin-1 body is a client bug to report, not to guess at. A leading
 * byte-order mark is dropped: some Windows clients send one.
 */
export function decodeUtf8(body: Buffer): string {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw new AppError('invalid_encoding');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
