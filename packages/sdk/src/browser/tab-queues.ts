import type { QueuedEvent, QueueStorage } from '../core/event-queue.js';
import type { Runtime, TimerHandle } from '../core/runtime.js';
import { storageQueue, type WebStorage } from './web-storage.js';

/** How often a tab renews its lease, in ms. */
export const HEARTBEAT_INTERVAL = 10_000;
/**
 * Age at which a lease expires and the queue may be adopted, in ms. Long enough for background
 * tabs, whose timers browsers slow down to once a minute.
 */
export const LEASE_TIMEOUT = 60_000;
/** Wait between claiming a queue and taking it, in ms, so that a rival claim shows up. */
export const CLAIM_DELAY = 500;

export interface TabQueues {
  /** Renews this tab's lease and looks for orphans, now and at every heartbeat. */
  start(): void;
  /** The page is going away: give up the lease, so the next page adopts what is left at once. */
  release(): void;
}

/** The queue of one tab. */
export function tabQueueStorage(storage: WebStorage, prefix: string, tabId: string): QueueStorage {
  return storageQueue(storage, `${prefix}q:${tabId}`);
}

/**
 * One queue per tab in shared browser storage, so that two tabs never send the same event:
 * each tab sends only its own queue (`q:<tab>`). Beside it, a lease (`lease:<tab>`, value
 * `<holder> <time>`) that the tab renews every heartbeat and removes when its page goes away.
 * A queue whose lease is gone or expired is an orphan (a reloaded page, a closed or crashed
 * tab). To adopt it, a tab writes itself into the orphan's lease, waits `CLAIM_DELAY`, and takes
 * the queue only if the lease still names it: of several tabs racing, the last writer wins and
 * the others back off, and while the claim is fresh no one else tries.
 *
 * @param adopt Receives the events of each adopted queue.
 */
export function tabQueues(
  storage: WebStorage,
  prefix: string,
  tabId: string,
  runtime: Runtime,
  adopt: (events: QueuedEvent[]) => void,
): TabQueues {
  const { scheduler } = runtime;
  const queuePrefix = `${prefix}q:`;
  const leasePrefix = `${prefix}lease:`;
  let heartbeat: TimerHandle | undefined;

  /** Who holds the lease on a tab's queue, if it has not expired. */
  const holder = (tab: string) => {
    const [holderId, since] = (storage.getItem(leasePrefix + tab) ?? '').split(' ');
    return runtime.now() - Number(since) < LEASE_TIMEOUT ? holderId : undefined;
  };

  const lease = (tab: string) => {
    try {
      storage.setItem(leasePrefix + tab, `${tabId} ${runtime.now()}`);
    } catch {
      // Quota: without a lease this tab's queue may be adopted early; the server dedups.
    }
  };

  const take = (orphanId: string) => {
    // No lease at all: this tab's claim did not fit in a full storage. Taking the queue anyway
    // may mean two tabs send it, which the server's messageId dedup absorbs; leaving it would
    // mean nobody ever does.
    if ((holder(orphanId) ?? tabId) !== tabId) return;
    const orphan = tabQueueStorage(storage, prefix, orphanId);
    const events = orphan.load();
    orphan.save([]);
    storage.removeItem(leasePrefix + orphanId);
    if (events.length > 0) adopt(events);
  };

  const adoptOrphans = () => {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) keys.push(storage.key(i) ?? '');
    for (const key of keys) {
      const orphanId = key.slice(queuePrefix.length);
      if (key.startsWith(queuePrefix) && orphanId !== tabId && !holder(orphanId)) {
        lease(orphanId);
        scheduler.setTimeout(() => take(orphanId), CLAIM_DELAY);
      }
      // Expired leases of tabs that left no queue would otherwise stay forever.
      if (key.startsWith(leasePrefix) && !holder(key.slice(leasePrefix.length))) {
        storage.removeItem(key);
      }
    }
  };

  const start = () => {
    scheduler.clearTimeout(heartbeat);
    lease(tabId);
    adoptOrphans();
    heartbeat = scheduler.setTimeout(start, HEARTBEAT_INTERVAL);
  };

  const release = () => {
    scheduler.clearTimeout(heartbeat);
    storage.removeItem(leasePrefix + tabId);
  };

  return { start, release };
}
