import type { AnyEvents, CustomEvents, Properties } from '../core/event-types.js';
import { type ClientOptions, TenureClient } from '../core/tenure-client.js';
import { BROWSER_DEFAULTS } from './browser-defaults.js';
import { type BrowserEnvironment, browserEnvironment } from './browser-environment.js';
import { tabQueueStorage, tabQueues } from './tab-queues.js';
import { prefixedStore } from './web-storage.js';

export interface BrowserOptions extends ClientOptions {
  /** Treat Do-Not-Track as an opt-out until `optIn()`. Default: true. */
  respectDoNotTrack?: boolean | undefined;
  /** Prefix of the SDK's localStorage keys. Default: `tenure:`. */
  storagePrefix?: string | undefined;
}

/**
 * The browser client. Events are queued in localStorage (per tab, so two tabs never send the
 * same event), survive reloads, crashes and offline spells, and are sent in batches; what is
 * left when the page is hidden or closed goes out with `sendBeacon`.
 *
 * @example
 * import { Tenure } from '@tenure/sdk';
 * const tenure = new Tenure({ writeKey: 'tw_...', host: 'https://tenure.example.com' });
 * tenure.identify('u_123', { email: 'ada@acme.com' });
 * tenure.group('acme', { plan: 'pro', mrr: 490 });
 * tenure.login();
 * tenure.featureUsed('reports');
 */
export class Tenure<Custom extends CustomEvents = AnyEvents> extends TenureClient<Custom> {
  readonly #environment: BrowserEnvironment;

  /** @param environment The page's globals; tests pass fakes. */
  constructor(options: BrowserOptions, environment: BrowserEnvironment = browserEnvironment()) {
    const prefix = options.storagePrefix ?? 'tenure:';
    const { runtime, storage } = environment;
    const tabId = runtime.uuid();
    super(options, {
      ...environment,
      queueStorage: tabQueueStorage(storage, prefix, tabId),
      store: prefixedStore(storage, prefix),
      defaults: BROWSER_DEFAULTS,
      doNotTrack: options.respectDoNotTrack !== false && environment.doNotTrack,
    });
    this.#environment = environment;
    const tabs = tabQueues(storage, prefix, tabId, runtime, (orphaned) => {
      // Older than this tab's events: ahead of them, and sent now.
      this.delivery.queue.push(orphaned, true);
      void this.delivery.flush();
    });
    const { events } = environment;
    events.addEventListener('visibilitychange', () => {
      // Hidden is often the last moment a page runs (mobile tab switch, then killed).
      if (environment.isHidden()) this.#beacon();
    });
    events.addEventListener('pagehide', () => {
      this.#beacon();
      tabs.release();
    });
    // Back from the back-forward cache: the tab lives again.
    events.addEventListener('pageshow', () => tabs.start());
    tabs.start();
  }

  /** Adds the page's url, path, referrer and title. */
  override page(name?: string, properties?: Properties): void {
    super.page(name, { ...this.#environment.pageProperties(), ...properties });
  }

  /**
   * Offline, a beacon would be lost; the queue stays in storage and the next page sends it.
   */
  #beacon(): void {
    if (this.#environment.online()) this.delivery.drainSync(this.#environment.sendBeacon);
  }
}
