/**
 * An export's time as ISO-8601, or the value unchanged when it is none of the known forms (so
 * validation rejects it in the API's words). Numbers are Unix time: seconds below 10^11 (that
 * is before the year 5138), milliseconds above; Mixpanel writes seconds, some exports ms.
 * Amplitude's `2024-03-01 12:00:00.123456` is UTC without a zone, and keeps only ms.
 */
export function toIsoTime(value: unknown): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return new Date(value < 1e11 ? value * 1000 : value).toISOString();
  }
  if (typeof value !== 'string') return value;
  if (/^\d+(\.\d+)?$/.test(value)) return toIsoTime(Number(value));
  const amplitude = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,3})?\d*$/.exec(value);
  if (amplitude) return `${amplitude[1]}T${amplitude[2]}${amplitude[3] ?? ''}Z`;
  return value;
}
