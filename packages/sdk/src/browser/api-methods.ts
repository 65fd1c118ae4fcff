import { helperName, SEMANTIC_HELPERS } from '../core/semantic-events.js';
import type { Tenure } from './browser-tenure.js';

/** Calls of the global `tenure` object (script tag): everything a page calls on the client. */
export type ApiMethod = {
  [Name in keyof Tenure]: Tenure[Name] extends (...args: never[]) => unknown ? Name : never;
}[keyof Tenure];

/**
 * The calls the snippet queues before the script loads and the script-tag global forwards. A
 * test checks it lists every public method of `Tenure`.
 */
export const API_METHODS = [
  'identify',
  'group',
  'track',
  'page',
  'alias',
  'reset',
  'optOut',
  'optIn',
  'flush',
  ...Object.keys(SEMANTIC_HELPERS).map(helperName),
] as ApiMethod[];
