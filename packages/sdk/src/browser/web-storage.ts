import type { QueuedEvent, QueueStorage } from '../core/event-queue.js';
import type { KeyValueStore } from '../core/runtime.js';

/** The part of the Web Storage API the SDK uses; tests and sandboxed frames pass their own. */
export type WebStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/** Stand-in for localStorage where it is unavailable (sandboxed iframes, storage disabled). */
export function memoryWebStorage(): WebStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    key: (index) => [...items.keys()][index] ?? null,
    get length() {
      return items.size;
    },
  };
}

/** Identity and consent under a key prefix. A full storage just means they are not kept. */
export function prefixedStore(storage: WebStorage, prefix: string): KeyValueStore {
  return {
    get: (key) => storage.getItem(prefix + key),
    set: (key, value) => {
      try {
        storage.setItem(prefix + key, value);
      } catch {
        // Quota: the value lives for this call only; events are still sent.
      }
    },
    remove: (key) => storage.removeItem(prefix + key),
  };
}

/**
 * A queue kept under one storage key. `save` lets quota errors through: the queue answers them
 * by dropping its oldest events.
 */
export function storageQueue(storage: WebStorage, key: string): QueueStorage {
  return {
    load: () => {
      try {
        return JSON.parse(storage.getItem(key) ?? '[]') as QueuedEvent[];
      } catch {
        return []; // Corrupt (written by someone else): start over rather than fail every call.
      }
    },
    save: (events) => {
      if (events.length > 0) storage.setItem(key, JSON.stringify(events));
      else storage.removeItem(key);
    },
  };
}
