/**
 * A UUID v4 from a source of random bytes. Browsers only offer `crypto.randomUUID` on secure
 * origins but `crypto.getRandomValues` everywhere, so this is the fallback on plain http.
 * Each `0`, `1` and `8` of the template becomes a random hex digit, keeping the version (4)
 * and the RFC 4122 variant bits (`8` becomes 8 to b).
 */
export function uuidFromRandom(randomByte: () => number): string {
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) => {
    const template = Number(digit);
    return (template ^ (randomByte() & (15 >> (template / 4)))).toString(16);
  });
}
