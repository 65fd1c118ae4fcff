import type { Properties } from '../core/event-types.js';
import type { Runtime, Transport } from '../core/runtime.js';
import { uuidFromRandom } from '../core/uuid.js';
import { fetchTransport } from './fetch-transport.js';
import { memoryWebStorage, type WebStorage } from './web-storage.js';

/**
 * Everything the browser client takes from the page, in one place so that tests can run it
 * in Node with fakes (two tabs sharing one storage, a beacon that records).
 */
export interface BrowserEnvironment {
  runtime: Runtime;
  transport: Transport;
  storage: WebStorage;
  /** Where `pagehide`, `pageshow` and `visibilitychange` are heard (the window). */
  events: Pick<EventTarget, 'addEventListener'>;
  isHidden(): boolean;
  online(): boolean;
  /** `navigator.sendBeacon`, or a stand-in; true when the browser took the body. */
  sendBeacon(url: string, body: string): boolean;
  doNotTrack: boolean;
  /** Defaults for `page()`: url, path, referrer, title. */
  pageProperties(): Properties;
  /** When the call being made was made (see `ClientEnvironment`); default: now. */
  callTime?: (() => number) | undefined;
}

export function browserRuntime(): Runtime {
  return {
    scheduler: {
      setTimeout: (callback, delay) => setTimeout(callback, delay),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    now: Date.now,
    random: Math.random,
    // randomUUID exists only on secure origins; getRandomValues everywhere.
    uuid: () =>
      crypto.randomUUID?.() ??
      uuidFromRandom(() => crypto.getRandomValues(new Uint8Array(1))[0] ?? 0),
  };
}

/** The real page's environment. */
export function browserEnvironment(): BrowserEnvironment {
  return {
    runtime: browserRuntime(),
    transport: fetchTransport(),
    storage: localStorageOrMemory(),
    events: window,
    isHidden: () => document.visibilityState === 'hidden',
    online: () => navigator.onLine !== false,
    // Without sendBeacon (no current browser), the queue stays for the next page to send.
    sendBeacon: (url, body) => navigator.sendBeacon?.(url, body) ?? false,
    doNotTrack: navigator.doNotTrack === '1',
    pageProperties: () => ({
      url: location.href,
      path: location.pathname,
      referrer: document.referrer,
      title: document.title,
    }),
  };
}

/** Reading `localStorage` throws in sandboxed frames and with storage blocked. */
function localStorageOrMemory(): WebStorage {
  try {
    return window.localStorage;
  } catch {
    return memoryWebStorage();
  }
}
