import type { QueuedEvent, QueueStorage } from '../core/event-queue.js';
import { parseJson } from '../core/parse-json.js';
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

/**
 * Identity and consent under a key prefix. A value storage refuses (quota, or a browser that
 * allows no writes at all) is kept in memory for the page's lifetime, so that the anonymous id,
 * the user and the account stay the same from one event to the next.
 */
export function prefixedStore(storage: WebStorage, prefix: string): KeyValueStore {
  const unsaved = new Map<string, string>();
  return {
    get: (key) => unsaved.get(key) ?? storage.getItem(prefix + key),
    set: (key, value) => {
      try {
        storage.setItem(prefix + key, value);
        unsaved.delete(key);
      } catch {
        unsaved.set(key, value);
      }
    },
    remove: (key) => {
      unsaved.delete(key);
      storage.removeItem(prefix + key);
    },
  };
}

/**
 * A queue kept under one storage key. While storage refuses it (quota), the queue lives in
 * memory and is still sent; what storage last accepted stays there for the next page, and the
 * server's messageId dedup makes a resend of it harmless.
 */
export function storageQueue(storage: WebStorage, key: string): QueueStorage {
  let unsaved: QueuedEvent[] | undefined;
  return {
    load: () => {
      // Corrupt (written by someone else): start over rather than fail every call.
      return unsaved ?? parseJson<QueuedEvent[]>(storage.getItem(key)) ?? [];
    },
    save: (events) => {
      try {
        if (events.length > 0) storage.setItem(key, JSON.stringify(events));
        else storage.removeItem(key);
        unsaved = undefined;
      } catch {
        unsaved = events;
      }
    },
  };
}
