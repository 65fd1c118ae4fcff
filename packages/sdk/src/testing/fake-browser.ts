import type { BrowserEnvironment } from '../browser/browser-environment.js';
import { fetchTransport } from '../browser/fetch-transport.js';
import { memoryWebStorage, type WebStorage } from '../browser/web-storage.js';
import { type TestRuntime, testRuntime } from './test-runtime.js';

export interface Beacon {
  url: string;
  body: string;
}

/**
 * One fake tab: its own window events, visibility and beacon, and the origin's storage shared
 * with the other tabs passed the same `storage`.
 */
export function fakeTab(storage: WebStorage, options: { doNotTrack?: boolean } = {}) {
  const events = new EventTarget();
  const beacons: Beacon[] = [];
  const state = { hidden: false, online: true, beaconAccepts: true };
  const runtime: TestRuntime = testRuntime();
  const environment: BrowserEnvironment = {
    runtime,
    transport: fetchTransport(),
    storage,
    events,
    isHidden: () => state.hidden,
    online: () => state.online,
    sendBeacon: (url, body) => {
      if (!state.beaconAccepts) return false;
      beacons.push({ url, body });
      return true;
    },
    doNotTrack: options.doNotTrack ?? false,
    pageProperties: () => ({ url: 'https://app.example.com/reports', path: '/reports' }),
  };
  return {
    environment,
    beacons,
    state,
    /** The page goes away (navigation, close). */
    pagehide: () => events.dispatchEvent(new Event('pagehide')),
    hide: () => {
      state.hidden = true;
      events.dispatchEvent(new Event('visibilitychange'));
    },
    /** The tab crashes: no pagehide, no more timers. */
    crash: () => runtime.kill(),
    /** The browser freezes the tab in the background, then wakes it. */
    freeze: () => runtime.freeze(),
    thaw: () => runtime.thaw(),
  };
}

/** localStorage with a quota, in UTF-16 characters like browsers count it. */
export function quotaStorage(quota: number): WebStorage {
  const storage = memoryWebStorage();
  const used = () => {
    let total = 0;
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i) ?? '';
      total += key.length + (storage.getItem(key)?.length ?? 0);
    }
    return total;
  };
  return {
    getItem: (key) => storage.getItem(key),
    removeItem: (key) => storage.removeItem(key),
    key: (index) => storage.key(index),
    get length() {
      return storage.length;
    },
    setItem(key, value) {
      const previous = storage.getItem(key);
      const growth = value.length - (previous?.length ?? -key.length);
      if (used() + growth > quota) throw new DOMException('Quota exceeded', 'QuotaExceededError');
      storage.setItem(key, value);
    },
  };
}

/**
 * One origin's localStorage as tabs in different processes see it: a tab sees its own writes at
 * once and other tabs' writes only `lag` ms later, as with Chrome's per-process storage caches.
 * This is what makes two tabs able to claim the same queue at once.
 */
export function laggingOrigin(lag: number) {
  const writes: Array<{ at: number; tab: string; key: string; value: string | null }> = [];
  return (tab: string): WebStorage => {
    const view = () => {
      const items = new Map<string, string>();
      for (const write of writes) {
        if (write.tab !== tab && Date.now() - write.at < lag) continue;
        if (write.value === null) items.delete(write.key);
        else items.set(write.key, write.value);
      }
      return items;
    };
    return {
      getItem: (key) => view().get(key) ?? null,
      setItem: (key, value) => void writes.push({ at: Date.now(), tab, key, value }),
      removeItem: (key) => void writes.push({ at: Date.now(), tab, key, value: null }),
      key: (index) => [...view().keys()][index] ?? null,
      get length() {
        return view().size;
      },
    };
  };
}
