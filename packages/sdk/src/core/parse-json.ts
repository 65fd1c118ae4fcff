/**
 * Parses JSON that may be missing or malformed (an answer from a proxy, a storage value another
 * script wrote), returning undefined instead of throwing.
 *
 * @example parseJson<{ ok: boolean }>('{"ok":true}') // { ok: true }
 */
export function parseJson<T>(text: string | null | undefined): T | undefined {
  try {
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}
