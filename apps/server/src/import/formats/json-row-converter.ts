import type { FieldMapping } from '../field-mapping.js';
import { getPath, setPath } from '../field-mapping.js';
import { fromAmplitude } from './amplitude.format.js';
import { fromMixpanel } from './mixpanel.format.js';
import { fromSegment } from './segment.format.js';

export const JSON_FORMATS = ['auto', 'segment', 'mixpanel', 'amplitude'] as const;
export type JsonFormat = (typeof JSON_FORMATS)[number];

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Which export a JSON row comes from, by its shape: Amplitude rows have `event_type`, Mixpanel
 * rows `event` with `properties.time` or `properties.distinct_id`; anything else is read as a
 * Segment message (and validation says what is wrong with it).
 */
export function detectFormat(row: Record<string, unknown>): Exclude<JsonFormat, 'auto'> {
  if (typeof row.type === 'string') return 'segment';
  if ('event_type' in row) return 'amplitude';
  const properties = row.properties;
  if (isObject(properties) && ('time' in properties || 'distinct_id' in properties)) {
    return 'mixpanel';
  }
  return 'segment';
}

const CONVERTERS = { segment: fromSegment, mixpanel: fromMixpanel, amplitude: fromAmplitude };

/**
 * Converts one JSON row to a Segment message in the given format (or the detected one), then
 * applies `--map` paths over it: each SOURCE path is read from the original row.
 */
export function jsonRowConverter(format: JsonFormat, mappings: FieldMapping[]) {
  return (row: Record<string, unknown>): Record<string, unknown> => {
    const message = CONVERTERS[format === 'auto' ? detectFormat(row) : format](row);
    for (const { source, target } of mappings) {
      const value = getPath(row, source);
      if (value !== undefined && value !== null && value !== '') setPath(message, target, value);
    }
    return message;
  };
}
