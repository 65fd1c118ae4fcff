import type { Runtime } from '../core/runtime.js';

/** A runtime on the global (fakeable) timers, whose tab can crash or freeze. */
export interface TestRuntime extends Runtime {
  /** From now on its timers fire into the void: the tab crashed. */
  kill(): void;
  /** Its timers wait until `thaw()`, as in a tab the browser froze in the background. */
  freeze(): void;
  thaw(): void;
}

export function testRuntime(random: () => number = Math.random): TestRuntime {
  let state: 'alive' | 'frozen' | 'dead' = 'alive';
  const deferred: Array<() => void> = [];
  return {
    scheduler: {
      setTimeout: (callback, delay) =>
        setTimeout(() => {
          if (state === 'alive') callback();
          else if (state === 'frozen') deferred.push(callback);
        }, delay),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    now: () => Date.now(),
    random,
    uuid: () => crypto.randomUUID(),
    kill: () => {
      state = 'dead';
    },
    freeze: () => {
      state = 'frozen';
    },
    thaw: () => {
      state = 'alive';
      for (const callback of deferred.splice(0)) callback();
    },
  };
}

/** Lets pending I/O (msw answering fetch) complete without moving the fake clock. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}
