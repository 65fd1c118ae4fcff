import type { ErrorBody, IngestResult, Message } from '@tenure/schema';
import {
  type DropReason,
  type EventQueue,
  eventQueue,
  type QueuedEvent,
  type QueueStorage,
} from './event-queue.js';
import { MAX_EVENT_BYTES } from './limits.js';
import { parseJson } from './parse-json.js';
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

/** Sends queued events to the server; see `eventDelivery`. */
export interface Delivery {
  readonly queue: EventQueue;
  /** Counters since the client started. */
  readonly stats: DeliveryStats;
  /**
   * Queues a stamped message; sends at once if that fills a batch. Never throws into the app:
   * properties JSON cannot hold (a cycle, a BigInt) are reported as `invalid_message`.
   */
  enqueue(message: Message): void;
  /**
   * Sends everything queued, batch by batch, waiting out retries. Resolves once the queue is
   * empty, which is never while the server stays down: callers that cannot wait race it with
   * a timeout.
   */
  flush(): Promise<void>;
  /**
   * Hands every queued event not already in flight to a synchronous sender, batch by batch,
   * for the last moments of a page (`navigator.sendBeacon`). The write key goes in the body,
   * as a beacon cannot set headers. Events the sender accepts leave the queue.
   *
   * A beacon's answer is never seen, so it is used only while the server answers: after a
   * failed request the events stay queued (in storage) for the next page to send.
   */
  drainSync(send: (url: string, body: string) => boolean): void;
}

/**
 * The delivery rules: batches by count, bytes and interval; one request at a time; retries
 * network errors, 408, 429 and 5xx with backoff (never sooner than `Retry-After`); halves a
 * batch on 413; never retries a refusal, reports it. An event leaves the queue only when the server answered
 * for it, so a crash or a reload mid-request resends it, and the server's messageId dedup
 * keeps it stored once.
 */
export function eventDelivery(options: DeliveryOptions): Delivery {
  const { url, writeKey, transport, runtime, maxBatchEvents, maxBatchBytes } = options;
  const { scheduler } = runtime;
  const stats: DeliveryStats = { delivered: 0, rejected: 0, dropped: 0 };
  /** Room for events in a request once the envelope (`sentAt`, `writeKey`) is counted. */
  const payloadBytes = maxBatchBytes - 80 - utf8Length(writeKey);
  let batchLimit = maxBatchEvents;
  let attempt = 0;
  let sending = false;
  /** Send everything queued, not only full batches: the interval elapsed, or a flush. */
  let due = false;
  let inFlight: ReadonlySet<string> = new Set();
  /** The next wake-up: the flush interval, or the end of a retry wait. */
  let timer: TimerHandle | undefined;
  /** Waiting before a retry: nothing is sent until the timer fires. */
  let backingOff = false;
  const drainWaiters: Array<() => void> = [];

  const report = (error: TenureError) => {
    try {
      options.onError(error);
    } catch {
      // A throwing hook must not stall delivery of the other events.
    }
  };

  /** Events that never left: `queue overflow`, `event too large`, `invalid message`. */
  const drop = (code: DropReason, events: QueuedEvent[]) => {
    stats.dropped += events.length;
    report({ code, message: code.replace(/_/g, ' '), messages: messagesOf(events) });
  };

  const queue = eventQueue(
    options.storage,
    { maxEvents: options.maxQueueEvents, maxBytes: options.maxQueueBytes },
    drop,
  );

  const body = (batch: QueuedEvent[], keyInBody = transport.keyInBody) =>
    JSON.stringify({
      batch: messagesOf(batch),
      sentAt: new Date(runtime.now()).toISOString(),
      writeKey: keyInBody ? writeKey : undefined,
    });

  /** Decides, after any change, whether to send now or when the interval elapses. */
  const schedule = () => {
    const { length, bytes } = queue;
    if (due || length >= maxBatchEvents || bytes >= maxBatchBytes) pump();
    else if (timer === undefined && length > 0) wakeIn(options.flushInterval, false);
  };

  /** Sends the oldest batch, unless a request or a retry wait is already under way. */
  const pump = () => {
    if (sending || backingOff) return;
    const batch = queue.peek(batchLimit, payloadBytes);
    if (batch.length === 0) {
      due = false;
      for (const waiter of drainWaiters.splice(0)) waiter();
      return;
    }
    sending = true;
    void send(batch).then((retryDelay) => {
      sending = false;
      if (retryDelay === undefined) schedule();
      else wakeIn(retryDelay, true);
    });
  };

  /** Sends everything queued after `delay` ms; with `backOff`, nothing before. */
  const wakeIn = (delay: number, backOff: boolean) => {
    scheduler.clearTimeout(timer);
    backingOff = backOff;
    timer = scheduler.setTimeout(() => {
      timer = undefined;
      backingOff = false;
      due = true;
      pump();
    }, delay);
  };

  /** One request and what its answer means; resolves with a delay if it must be retried. */
  const send = async (batch: QueuedEvent[]): Promise<number | undefined> => {
    const messageIds = messageIdsOf(batch);
    let response: DeliveryResponse;
    inFlight = messageIds;
    try {
      response = await transport.send({ url, writeKey, body: body(batch) });
    } catch {
      response = { status: 0 };
    } finally {
      inFlight = new Set();
    }
    const { status } = response;
    if (status === 413 && batch.length > 1) {
      // The server (or a proxy before it) takes less than we thought: send halves from now on.
      batchLimit = Math.ceil(batch.length / 2);
    } else if (isRetryableStatus(status)) {
      // `Retry-After` is the least wait, not the only one: a server that keeps answering
      // "1 s" through a long outage still sees its clients back off and spread out.
      return Math.max(
        retryAfterDelay(response.retryAfter, runtime.now()) ?? 0,
        backoffDelay(attempt++, options, runtime.random),
      );
    } else {
      queue.remove(messageIds);
      attempt = 0;
      // A single event refused as too large says nothing about the batch size: restore it.
      if (status === 413) batchLimit = maxBatchEvents;
      if (status < 300) reportRejections(batch, parseJson<IngestResult>(response.body)?.rejected);
      else
        reportRefusal(
          batch,
          status,
          parseJson<{ error?: Partial<ErrorBody['error']> }>(response.body),
        );
    }
  };

  /** A 2xx: the batch is stored, but for the events the server names as rejected. */
  const reportRejections = (batch: QueuedEvent[], rejected: IngestResult['rejected'] = []) => {
    stats.delivered += batch.length - rejected.length;
    stats.rejected += rejected.length;
    for (const { index, code, message, path } of rejected) {
      const event = batch[index];
      report({ code, message, path, status: 200, messages: event ? [event.message] : [] });
    }
  };

  /** A 4xx: the whole batch is refused, for the server's reason if it gave one. */
  const reportRefusal = (
    batch: QueuedEvent[],
    status: number,
    answer: { error?: Partial<ErrorBody['error']> } | undefined,
  ) => {
    stats.rejected += batch.length;
    report({
      code: answer?.error?.code ?? `http_${status}`,
      message: answer?.error?.message ?? `HTTP ${status}`,
      status,
      messages: messagesOf(batch),
    });
  };

  return {
    queue,
    stats,
    enqueue(message) {
      const event = { message, bytes: 0 };
      try {
        event.bytes = utf8Length(JSON.stringify(message));
      } catch {
        drop('invalid_message', [event]);
        return;
      }
      if (event.bytes > MAX_EVENT_BYTES) {
        drop('event_too_large', [event]);
      } else {
        queue.push([event]);
        schedule();
      }
    },
    flush() {
      due = true;
      const drained = new Promise<void>((resolve) => drainWaiters.push(resolve));
      pump();
      return drained;
    },
    drainSync(sendNow) {
      if (attempt > 0) return;
      for (;;) {
        const batch = queue.peek(batchLimit, payloadBytes, inFlight);
        if (batch.length === 0 || !sendNow(url, body(batch, true))) return;
        queue.remove(messageIdsOf(batch));
      }
    },
  };
}

function messagesOf(batch: QueuedEvent[]): Message[] {
  return batch.map((event) => event.message);
}

function messageIdsOf(batch: QueuedEvent[]): Set<string> {
  return new Set(batch.map((event) => event.message.messageId ?? ''));
}
