import { randomUUID } from 'node:crypto';
import type { Runtime } from '../core/runtime.js';

/**
 * Node's clock, randomness and timers. Timers are `unref`ed: the SDK never keeps a process
 * alive on its own; call `flush()` or `shutdown()` before exiting.
 */
export function nodeRuntime(): Runtime {
  return {
    scheduler: {
      setTimeout: (callback, delay) => setTimeout(callback, delay).unref(),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
    },
    now: Date.now,
    random: Math.random,
    uuid: randomUUID,
  };
}
