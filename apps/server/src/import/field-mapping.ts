import { readFile } from 'node:fs/promises';
import { ImportError } from './import-error.js';

/** One `--map SOURCE=TARGET`: a source column (CSV) or dot path (JSON) to a message path. */
export interface FieldMapping {
  source: string;
  target: string;
}

/** Parses `--map` values: `time=timestamp`, `account=context.groupId`. */
export function parseMapOptions(values: readonly string[]): FieldMapping[] {
  return values.map((value) => {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) {
      throw new ImportError(`--map ${value}: expected SOURCE=TARGET, e.g. time=timestamp`);
    }
    return { source: value.slice(0, at), target: value.slice(at + 1) };
  });
}

/**
 * Reads a mapping file: a JSON object of SOURCE to TARGET, either bare
 * (`{"time": "timestamp"}`) or under `map` (`{"map": {...}}`, room for other keys later).
 */
export async function loadMappingFile(path: string): Promise<FieldMapping[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ImportError(`--mapping ${path}: ${(error as Error).message}`);
  }
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  const map = isObject(parsed) && isObject(parsed.map) ? parsed.map : parsed;
  if (!isObject(map)) throw new ImportError(`--mapping ${path}: expected a JSON object`);
  return Object.entries(map).map(([source, target]) => {
    if (typeof target !== 'string' || target === '') {
      throw new ImportError(`--mapping ${path}: "${source}" must map to a message path string`);
    }
    return { source, target };
  });
}

/** The value at a dot path (`properties.plan`), or undefined. */
export function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Sets a dot path, making the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let current = target;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1]!] = value;
}
