import type { FieldMapping } from '../field-mapping.js';
import { setPath } from '../field-mapping.js';
import { ImportError } from '../import-error.js';
import { toIsoTime } from './to-iso-time.js';

/** Message fields a CSV column feeds without a `--map` when its header has the same name. */
const MESSAGE_FIELDS = new Set([
  'type',
  'event',
  'name',
  'messageId',
  'userId',
  'anonymousId',
  'groupId',
  'previousId',
  'timestamp',
]);
const TIME_TARGETS = new Set(['timestamp', 'originalTimestamp']);
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * A property value from CSV text: CSV has no types, but semantic events need numbers
 * (`mrr`, `seats`) and booleans (`satisfied`), so plain decimal numbers and `true`/`false` are
 * converted; everything else (ids with leading zeros included) stays text.
 */
function typedValue(text: string): unknown {
  if (NUMBER.test(text) && text.length < 16) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

export type CsvRowConverter = (fields: string[]) => Record<string, unknown>;

/**
 * Builds the converter for a CSV file from its header and the mappings:
 * - a mapped column goes to its target path (`time=timestamp`, `account=context.groupId`);
 * - an unmapped column named like a message field (`event`, `userId`, `timestamp`, ...) goes
 *   there; any other goes to `properties.<column>` (`traits.<column>` for identify/group);
 * - empty cells are absent; `type` defaults to `track`.
 * A mapped column missing from the header is an error here, before any row is read.
 */
export function csvRowConverter(header: string[], mappings: FieldMapping[]): CsvRowConverter {
  const columns = new Map(header.map((name, index) => [name.trim(), index]));
  const missing = mappings.filter(({ source }) => !columns.has(source)).map((m) => m.source);
  if (missing.length > 0) {
    throw new ImportError(
      `The CSV header has no column ${missing.map((name) => `"${name}"`).join(', ')} ` +
        `(mapped with --map/--mapping); its columns are: ${[...columns.keys()].join(', ')}`,
    );
  }
  const mapped = new Map(mappings.map(({ source, target }) => [columns.get(source)!, target]));
  const plan = header.map((name, index) => {
    const column = name.trim();
    const target = mapped.get(index) ?? (MESSAGE_FIELDS.has(column) ? column : null);
    return { column, target, index };
  });
  return (fields) => {
    const message: Record<string, unknown> = {};
    const extras: [string, unknown][] = [];
    for (const { column, target, index } of plan) {
      const text = fields[index];
      if (text === undefined || text === '') continue;
      if (target === null) extras.push([column, typedValue(text)]);
      else if (TIME_TARGETS.has(target)) setPath(message, target, toIsoTime(text));
      else if (/^(properties|traits)\./.test(target)) setPath(message, target, typedValue(text));
      else setPath(message, target, text);
    }
    message.type ??= 'track';
    const bag = message.type === 'identify' || message.type === 'group' ? 'traits' : 'properties';
    for (const [column, value] of extras) setPath(message, `${bag}.${column}`, value);
    return message;
  };
}
