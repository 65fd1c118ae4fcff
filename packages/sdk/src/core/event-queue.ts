import type { Message } from '@tenure/schema';

/** A queued message with its serialized size, measured once at enqueue. */
export interface QueuedEvent {
  message: Message;
  bytes: number;
}

/**
 * Where the queue lives: memory (Node) or browser storage (survives a reload). `load` hands out
 * a private array (the queue mutates it, then saves it). `save` never throws: a storage that
 * refuses (quota) keeps the events in memory rather than lose them.
 */
export interface QueueStorage {
  load(): QueuedEvent[];
  save(events: QueuedEvent[]): void;
}

export interface QueueBounds {
  maxEvents: number;
  maxBytes: number;
}

/** Why events left the queue undelivered. */
export type DropReason = 'queue_overflow' | 'event_too_large' | 'invalid_message';

/** Keeps events in an array; `load` hands out the live array, so nothing is copied. */
export function memoryQueueStorage(): QueueStorage {
  let events: QueuedEvent[] = [];
  return {
    load: () => events,
    save: (next) => {
      events = next;
    },
  };
}

/** A bounded FIFO of events waiting for delivery; see `eventQueue`. */
export interface EventQueue {
  readonly length: number;
  /** Bytes of all queued messages. */
  readonly bytes: number;
  /**
   * Adds events: at the end, or at the front for older ones (adopted from another tab). Drops
   * the oldest to stay within bounds.
   */
  push(events: QueuedEvent[], atFront?: boolean): void;
  /**
   * The oldest events, as many as fit in `maxEvents` and `maxBytes` (always at least one),
   * passing over those in `skip`.
   */
  peek(maxEvents: number, maxBytes: number, skip?: ReadonlySet<string>): QueuedEvent[];
  /** Removes delivered (or refused) events by messageId. */
  remove(messageIds: ReadonlySet<string>): void;
  /** Empties the queue and returns what it held. */
  clear(): QueuedEvent[];
}

/**
 * A bounded FIFO of events waiting for delivery. When full, the oldest events make room: a
 * recent event says more about an account's health today than one from an outage long ago.
 * Every change goes through `storage`, which is the source of truth (another browser tab may
 * have adopted this queue meanwhile).
 */
export function eventQueue(
  storage: QueueStorage,
  { maxEvents, maxBytes }: QueueBounds,
  onDrop: (reason: DropReason, events: QueuedEvent[]) => void,
): EventQueue {
  // The byte count of the array `load` last handed out, valid while `load` hands out that same
  // array (memory storage): without it every call would sum the whole queue, which under a
  // long outage makes queueing quadratic. Browser storage parses a new array on each load.
  let counted: readonly QueuedEvent[] | undefined;
  let countedBytes = 0;
  const bytesOf = (events: readonly QueuedEvent[]) =>
    counted === events ? countedBytes : sumBytes(events);

  return {
    get length() {
      return storage.load().length;
    },
    get bytes() {
      return bytesOf(storage.load());
    },
    push(events, atFront) {
      // `load` hands out a private array (parsed, or memory's own), so it is mutated in place.
      const queue = storage.load();
      let bytes = bytesOf(queue) + sumBytes(events);
      if (atFront) queue.unshift(...events);
      else queue.push(...events);
      let dropCount = 0;
      while (
        dropCount < queue.length &&
        (queue.length - dropCount > maxEvents || bytes > maxBytes)
      ) {
        bytes -= queue[dropCount++]?.bytes ?? 0;
      }
      const dropped = queue.splice(0, dropCount);
      storage.save(queue);
      counted = queue;
      countedBytes = bytes;
      // Reported once saved: the hook may well queue an event of its own.
      if (dropCount > 0) onDrop('queue_overflow', dropped);
    },
    peek(maxBatchEvents, maxBatchBytes, skip) {
      const batch: QueuedEvent[] = [];
      let bytes = 0;
      for (const event of storage.load()) {
        if (batch.length >= maxBatchEvents) break;
        if (skip?.has(event.message.messageId ?? '')) continue;
        // `+ 1` for the comma between items in the JSON array.
        if (batch.length > 0 && bytes + event.bytes + 1 > maxBatchBytes) break;
        batch.push(event);
        bytes += event.bytes + 1;
      }
      return batch;
    },
    remove(messageIds) {
      const queue = storage.load();
      const rest = queue.filter((event) => !messageIds.has(event.message.messageId ?? ''));
      if (rest.length !== queue.length) storage.save(rest);
    },
    clear() {
      const queue = storage.load();
      storage.save([]);
      return queue;
    },
  };
}

function sumBytes(events: readonly QueuedEvent[]): number {
  let bytes = 0;
  for (const event of events) bytes += event.bytes;
  return bytes;
}
