import type { IngestResult, Message } from '@tenure/schema';
import {
  type DropReason,
  type EventQueue,
  eventQueue,
  type QueuedEvent,
  type QueueStorage,
} from './event-queue.js';
import { MAX_EVENT_BYTES } from './limits.js';
import {
  type BackoffOptions,
  backoffDelay,
  isRetryableStatus,
  retryAfterDelay,
} from './retry-policy.js';
import type { DeliveryResponse, Runtime, TimerHandle, Transport } from './runtime.js';
import type { ErrorHandler, TenureError } from './tenure-error.js';
import { utf8Length } from './utf8-length.js';

export interface DeliveryLimits extends BackoffOptions {
  /** Most events in one request. */
  maxBatchEvents: number;
  /** Largest request body in bytes, envelope included. */
  maxBatchBytes: number;
  /** Longest wait, in ms, before a batch that is not full is sent. */
  flushInterval: number;
  /** Most events waiting; beyond it the oldest are dropped and reported. */
  maxQueueEvents: number;
  /** Most bytes waiting; beyond it the oldest are dropped and reported. */
  maxQueueBytes: number;
}

export interface DeliveryOptions extends DeliveryLimits {
  /** The batch endpoint, e.g. `https://tenure.example.com/v1/batch`. */
  url: string;
  writeKey: string;
  transport: Transport;
  storage: QueueStorage;
  runtime: Runtime;
  onError: ErrorHandler;
}

/** Counters since the client started. */
export interface DeliveryStats {
  /** Events the server acknowledged (stored, or already stored). */
  delivered: number;
  /** Events the server refused; reported through `onError`. */
  rejected: number;
  /** Events dropped before sending (queue bound, oversize); reported too. */
  dropped: number;
}

/**
 * The delivery rules: batches by count, bytes and interval; one request at a time; retries
 * network errors, 408, 429 and 5xx with backoff (never sooner than `Retry-After`); halves a batch on 413;
 * never retries a refusal, reports it. An event leaves the queue only when the server answered
 * for it, so a crash or a reload mid-request resends it, and the server's messageId dedup
 * keeps it stored once.
 */
export class Delivery {
  readonly queue: EventQueue;
  readonly stats: DeliveryStats = { delivered: 0, rejected: 0, dropped: 0 };
  readonly #options: DeliveryOptions;
  /** Room for events in a request once the envelope (`sentAt`, `writeKey`) is counted. */
  readonly #payloadBytes: number;
  #batchLimit: number;
  #attempt = 0;
  #sending = false;
  /** Send everything queued, not only full batches: the interval elapsed, or a flush. */
  #due = false;
  #inFlight: ReadonlySet<string> = new Set();
  /** The next wake-up: the flush interval, or the end of a retry wait. */
  #timer: TimerHandle | undefined;
  /** Waiting before a retry: nothing is sent until the timer fires. */
  #backingOff = false;
  #drainWaiters: Array<() => void> = [];

  constructor(options: DeliveryOptions) {
    this.#options = options;
    this.#batchLimit = options.maxBatchEvents;
    this.#payloadBytes = options.maxBatchBytes - 80 - utf8Length(options.writeKey);
    this.queue = eventQueue(
      options.storage,
      { maxEvents: options.maxQueueEvents, maxBytes: options.maxQueueBytes },
      (reason, events) => this.#drop(reason, events),
    );
  }

  /**
   * Queues a stamped message; sends at once if that fills a batch. Never throws into the app:
   * properties JSON cannot hold (a cycle, a BigInt) are reported as `invalid_message`.
   */
  enqueue(message: Message): void {
    const event = { message, bytes: 0 };
    try {
      event.bytes = utf8Length(JSON.stringify(message));
    } catch {
      this.#drop('invalid_message', [event]);
      return;
    }
    if (event.bytes > MAX_EVENT_BYTES) {
      this.#drop('event_too_large', [event]);
    } else {
      this.queue.push([event]);
      this.#schedule();
    }
  }

  /**
   * Sends everything queued, batch by batch, waiting out retries. Resolves once the queue is
   * empty, which is never while the server stays down: callers that cannot wait race it with
   * a timeout.
   */
  flush(): Promise<void> {
    this.#due = true;
    const drained = new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
    this.#pump();
    return drained;
  }

  /**
   * Hands every queued event not already in flight to a synchronous sender, batch by batch,
   * for the last moments of a page (`navigator.sendBeacon`). The write key goes in the body,
   * as a beacon cannot set headers. Events the sender accepts leave the queue.
   *
   * A beacon's answer is never seen, so it is used only while the server answers: after a
   * failed request the events stay queued (in storage) for the next page to send.
   */
  drainSync(send: (url: string, body: string) => boolean): void {
    if (this.#attempt > 0) return;
    for (;;) {
      const batch = this.queue.peek(this.#batchLimit, this.#payloadBytes, this.#inFlight);
      if (batch.length === 0 || !send(this.#options.url, this.#body(batch, true))) return;
      this.queue.remove(messageIdsOf(batch));
    }
  }

  /** Decides, after any change, whether to send now or when the interval elapses. */
  #schedule(): void {
    const { maxBatchEvents, maxBatchBytes, flushInterval } = this.#options;
    const { length, bytes } = this.queue;
    if (this.#due || length >= maxBatchEvents || bytes >= maxBatchBytes) {
      this.#pump();
    } else if (this.#timer === undefined && length > 0) {
      this.#wakeIn(flushInterval, false);
    }
  }

  /** Sends the oldest batch, unless a request or a retry wait is already under way. */
  #pump(): void {
    if (this.#sending || this.#backingOff) return;
    const batch = this.queue.peek(this.#batchLimit, this.#payloadBytes);
    if (batch.length === 0) {
      this.#due = false;
      this.#settle();
      return;
    }
    this.#sending = true;
    void this.#send(batch).then((retryDelay) => {
      this.#sending = false;
      if (retryDelay === undefined) this.#schedule();
      else this.#wakeIn(retryDelay, true);
    });
  }

  /** Sends everything queued after `delay` ms; with `backingOff`, nothing before. */
  #wakeIn(delay: number, backingOff: boolean): void {
    const { scheduler } = this.#options.runtime;
    scheduler.clearTimeout(this.#timer);
    this.#backingOff = backingOff;
    this.#timer = scheduler.setTimeout(() => {
      this.#timer = undefined;
      this.#backingOff = false;
      this.#due = true;
      this.#pump();
    }, delay);
  }

  /** One request and what its answer means; resolves with a delay if it must be retried. */
  async #send(batch: QueuedEvent[]): Promise<number | undefined> {
    const { transport, url, writeKey, runtime } = this.#options;
    const messageIds = messageIdsOf(batch);
    let response: DeliveryResponse;
    this.#inFlight = messageIds;
    try {
      response = await transport.send({ url, writeKey, body: this.#body(batch) });
    } catch {
      response = { status: 0 };
    } finally {
      this.#inFlight = new Set();
    }
    const { status, body } = response;
    if (status === 413 && batch.length > 1) {
      // The server (or a proxy before it) takes less than we thought: send halves from now on.
      this.#batchLimit = Math.ceil(batch.length / 2);
    } else if (isRetryableStatus(status)) {
      // `Retry-After` is the least wait, not the only one: a server that keeps answering
      // "1 s" through a long outage still sees its clients back off and spread out.
      return Math.max(
        retryAfterDelay(response.retryAfter, runtime.now()) ?? 0,
        backoffDelay(this.#attempt++, this.#options, runtime.random),
      );
    } else {
      this.queue.remove(messageIds);
      this.#attempt = 0;
      // A single event refused as too large says nothing about the batch size: restore it.
      if (status === 413) this.#batchLimit = this.#options.maxBatchEvents;
      if (status < 300)
        return this.#reportRejections(batch, parseJson<IngestResult>(body)?.rejected);
      const refusal = parseJson<{ error?: Partial<TenureError> }>(body)?.error;
      this.stats.rejected += batch.length;
      this.#report({
        code: refusal?.code ?? `http_${status}`,
        message: refusal?.message ?? `HTTP ${status}`,
        status,
        messages: batch.map((event) => event.message),
      });
    }
  }

  #reportRejections(batch: QueuedEvent[], rejected: IngestResult['rejected'] = []): undefined {
    this.stats.delivered += batch.length - rejected.length;
    this.stats.rejected += rejected.length;
    for (const { index, code, message, path } of rejected) {
      const event = batch[index];
      this.#report({ code, message, path, status: 200, messages: event ? [event.message] : [] });
    }
  }

  /** Events that never left: `queue overflow`, `event too large`, `invalid message`. */
  #drop(code: DropReason, events: QueuedEvent[]): void {
    this.stats.dropped += events.length;
    const message = code.replace(/_/g, ' ');
    this.#report({ code, message, messages: events.map((event) => event.message) });
  }

  #report(error: TenureError): void {
    try {
      this.#options.onError(error);
    } catch {
      // A throwing hook must not stall delivery of the other events.
    }
  }

  #settle(): void {
    for (const waiter of this.#drainWaiters.splice(0)) waiter();
  }

  #body(batch: QueuedEvent[], keyInBody = this.#options.transport.keyInBody): string {
    return JSON.stringify({
      batch: batch.map((event) => event.message),
      sentAt: new Date(this.#options.runtime.now()).toISOString(),
      writeKey: keyInBody ? this.#options.writeKey : undefined,
    });
  }
}

function messageIdsOf(batch: QueuedEvent[]): Set<string> {
  return new Set(batch.map((event) => event.message.messageId ?? ''));
}

function parseJson<T>(text: string | undefined): T | undefined {
  try {
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}
