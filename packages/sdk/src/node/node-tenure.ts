import type { Message } from '@tenure/schema';
import { type Delivery, type DeliveryStats, eventDelivery } from '../core/delivery.js';
import { memoryQueueStorage } from '../core/event-queue.js';
import type { AnyEvents, CustomEvents, EventName } from '../core/event-types.js';
import { type MessageDraft, stampMessage } from '../core/message-factory.js';
import type { Runtime, Transport } from '../core/runtime.js';
import type { ClientOptions } from '../core/tenure-client.js';
import { type ErrorHandler, logError, type SdkErrorCode } from '../core/tenure-error.js';
import type {
  Actor,
  AliasCall,
  CallOptions,
  GroupCall,
  IdentifyCall,
  PageCall,
  TrackCall,
} from './node-calls.js';
import { NODE_DEFAULTS, NODE_REQUEST_TIMEOUT } from './node-defaults.js';
import { nodeRuntime } from './node-runtime.js';
import { nodeTransport } from './node-transport.js';
import { UserEvents } from './user-events.js';

export interface NodeOptions extends ClientOptions {
  /** Longest wait for one request's answer, in ms. Default: 15 s. */
  requestTimeout?: number | undefined;
  /** Replaces the fetch transport (a proxy, a queue, a test double). */
  transport?: Transport | undefined;
  /** Replaces clock, timers and ids (tests). */
  runtime?: Runtime | undefined;
  /**
   * On SIGINT and SIGTERM, `shutdown()` (within `shutdownTimeout`) and then let the signal do
   * what it would have done: exit, unless the app has its own listeners for it. Off by
   * default: a library does not take over a process's signals unless asked to.
   */
  handleSignals?: boolean | undefined;
  /** The timeout of the shutdown `handleSignals` runs, in ms. Default: 5 s. */
  shutdownTimeout?: number | undefined;
}

/** What `shutdown` could not deliver: persist it, or log it. */
export interface ShutdownResult {
  unsent: Message[];
}

/**
 * The Node client: every call names its user and account; events are batched, retried and
 * bounded in memory like in the browser. In serverless functions, `await tenure.flush()` before
 * returning; in servers, `await tenure.shutdown()` on exit.
 *
 * @example
 * import { Tenure } from '@tenure/sdk/node';
 * const tenure = new Tenure({ writeKey: process.env.TENURE_WRITE_KEY!, host: 'https://tenure.example.com' });
 * tenure.track({ userId: 'u_123', accountId: 'acme', event: 'feature_used', properties: { feature: 'api' } });
 * tenure.user({ userId: 'u_123', accountId: 'acme' }).login();
 * const { unsent } = await tenure.shutdown({ timeout: 5000 });
 */
export class Tenure<Custom extends CustomEvents = AnyEvents> {
  readonly #delivery: Delivery;
  readonly #runtime: Runtime;
  readonly #onError: ErrorHandler;
  readonly #transport: Transport;
  #closed = false;
  /** Events were queued since the last flush started at `beforeExit`. */
  #queuedSinceExitFlush = false;
  readonly #processHooks: Array<() => void> = [];

  constructor(options: NodeOptions) {
    this.#runtime = options.runtime ?? nodeRuntime();
    this.#onError = options.onError ?? logError;
    this.#transport =
      options.transport ?? nodeTransport(options.requestTimeout ?? NODE_REQUEST_TIMEOUT);
    this.#delivery = eventDelivery({
      ...NODE_DEFAULTS,
      ...options,
      url: `${options.host.replace(/\/+$/, '')}/v1/batch`,
      transport: this.#transport,
      storage: memoryQueueStorage(),
      runtime: this.#runtime,
      onError: this.#onError,
    });
    this.#hookProcess(options);
  }

  /**
   * A script that ends without calling flush (its event loop runs dry) still delivers: at
   * `beforeExit` the queue is flushed, which keeps the process alive until it is sent. Only
   * once per batch of new events, so a server that is down cannot keep the process alive.
   */
  #hookProcess(options: NodeOptions): void {
    const beforeExit = () => {
      if (this.#closed || !this.#queuedSinceExitFlush || this.#delivery.queue.length === 0) return;
      this.#queuedSinceExitFlush = false;
      void this.flush({ timeout: options.shutdownTimeout ?? 5_000 });
    };
    process.on('beforeExit', beforeExit);
    this.#processHooks.push(() => process.off('beforeExit', beforeExit));
    if (!options.handleSignals) return;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const onSignal = async () => {
        await this.shutdown({ timeout: options.shutdownTimeout ?? 5_000 });
        // Without other listeners the signal's default is to end the process: do that now.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      };
      process.once(signal, onSignal);
      this.#processHooks.push(() => process.off(signal, onSignal));
    }
  }

  get stats(): DeliveryStats & { queued: number } {
    return { ...this.#delivery.stats, queued: this.#delivery.queue.length };
  }

  /**
   * @example tenure.track({ userId: 'u_1', accountId: 'acme', event: 'report_exported', properties: { format: 'csv' } })
   */
  track<Name extends EventName<Custom>>(call: TrackCall<Custom, Name>): void {
    this.#send(call, { type: 'track', event: call.event, properties: call.properties });
  }

  /** @example tenure.identify({ userId: 'u_1', traits: { email: 'ada@acme.com' } }) */
  identify(call: IdentifyCall): void {
    this.#send(call, { type: 'identify', traits: call.traits });
  }

  /** @example tenure.group({ userId: 'u_1', accountId: 'acme', traits: { plan: 'pro', mrr: 490 } }) */
  group(call: GroupCall): void {
    this.#send(call, { type: 'group', groupId: call.accountId, traits: call.traits });
  }

  /** @example tenure.page({ userId: 'u_1', name: 'Billing' }) */
  page(call: PageCall): void {
    this.#send(call, { type: 'page', name: call.name, properties: call.properties });
  }

  /** @example tenure.alias({ userId: 'u_1', previousId: 'legacy-42' }) */
  alias(call: AliasCall): void {
    this.#send(call, { type: 'alias', userId: call.userId, previousId: call.previousId });
  }

  /**
   * The semantic helpers for one user in one account.
   * @example tenure.user({ userId: 'u_1', accountId: 'acme' }).featureUsed('reports')
   */
  user(actor: Actor): UserEvents<Custom> {
    return new UserEvents<Custom>((draft) => this.#send(actor, draft));
  }

  /**
   * Sends everything queued; resolves with the number of events still queued once all were
   * answered for (0) or after `timeout` ms (default: 10 s; retries go on in the background).
   * @example await tenure.flush() // at the end of a serverless handler
   */
  async flush(options: { timeout?: number } = {}): Promise<number> {
    let deadline: NodeJS.Timeout | undefined;
    // A plain (ref'ed) timer: it keeps the process alive until the deadline, so an awaited
    // flush always returns, even while only unref'ed retry timers are pending.
    const timedOut = new Promise<void>((resolve) => {
      deadline = setTimeout(resolve, options.timeout ?? 10_000);
    });
    await Promise.race([this.#delivery.flush(), timedOut]);
    clearTimeout(deadline);
    return this.#delivery.queue.length;
  }

  /**
   * Sends what it can within `timeout` ms (default 5 s), stops, and returns the events it could
   * not deliver. Later calls are reported through `onError` and not sent.
   * @example process.on('SIGTERM', async () => { const { unsent } = await tenure.shutdown(); ... })
   */
  async shutdown(options: { timeout?: number } = {}): Promise<ShutdownResult> {
    this.#closed = true;
    for (const unhook of this.#processHooks.splice(0)) unhook();
    await this.flush({ timeout: options.timeout ?? 5_000 });
    // A request still under way would hold the process (an open socket) until its timeout:
    // abort it; its events are among the unsent. A retry or interval timer may still fire
    // once; it finds the queue empty. Timers are unref'ed, so they do not hold the process.
    this.#transport.close?.();
    return { unsent: this.#delivery.queue.clear().map((event) => event.message) };
  }

  #send(call: CallOptions, draft: MessageDraft): void {
    const { userId, anonymousId, accountId, timestamp, messageId, context } = call;
    const message = stampMessage(
      {
        userId,
        anonymousId,
        messageId,
        context,
        timestamp: timestamp instanceof Date ? timestamp.toISOString() : timestamp,
        ...draft,
      } as MessageDraft,
      this.#runtime,
      accountId,
    );
    if (this.#closed) {
      this.#refuse('client_closed', 'The client was shut down', message);
    } else if (!message.userId && !message.anonymousId) {
      // Caught here rather than by the server: the caller's stack is still at hand.
      this.#refuse('missing_identity', 'Each call needs a userId or an anonymousId', message);
    } else {
      this.#queuedSinceExitFlush = true;
      this.#delivery.enqueue(message);
    }
  }

  #refuse(code: SdkErrorCode, reason: string, message: Message): void {
    this.#delivery.stats.dropped++;
    try {
      this.#onError({ code, message: reason, messages: [message] });
    } catch {
      // As in delivery: a throwing hook must not turn a tracking call into the app's error.
    }
  }
}
