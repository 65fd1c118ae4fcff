import type { Message } from '@tenure/schema';
import { describe, expect, it } from 'vitest';
import {
  type DropReason,
  eventQueue,
  memoryQueueStorage,
  type QueuedEvent,
} from './event-queue.js';

function queued(id: string, bytes = 100): QueuedEvent {
  const message: Message = { type: 'track', event: 'login', userId: 'u', messageId: id };
  return { message, bytes };
}

function setup(bounds = { maxEvents: 100, maxBytes: 100_000 }, storage = memoryQueueStorage()) {
  const drops: Array<[DropReason, string[]]> = [];
  const queue = eventQueue(storage, bounds, (reason, events) =>
    drops.push([reason, events.map((e) => e.message.messageId ?? '')]),
  );
  return { queue, drops, storage };
}

const ids = (events: QueuedEvent[]) => events.map((e) => e.message.messageId);

describe('eventQueue', () => {
  it('drops the oldest events beyond maxEvents and says which', () => {
    const { queue, drops } = setup({ maxEvents: 3, maxBytes: 100_000 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) queue.push([queued(id)]);
    expect(ids(queue.peek(10, 100_000))).toEqual(['c', 'd', 'e']);
    expect(drops).toEqual([
      ['queue_overflow', ['a']],
      ['queue_overflow', ['b']],
    ]);
  });

  it('drops the oldest events beyond maxBytes', () => {
    const { queue, drops } = setup({ maxEvents: 100, maxBytes: 250 });
    queue.push([queued('a'), queued('b')]);
    queue.push([queued('c')]);
    expect(queue.bytes).toBe(200);
    expect(drops).toEqual([['queue_overflow', ['a']]]);
  });

  it('puts adopted (older) events in front', () => {
    const { queue } = setup();
    queue.push([queued('mine')]);
    queue.push([queued('old-1'), queued('old-2')], true);
    expect(ids(queue.peek(10, 100_000))).toEqual(['old-1', 'old-2', 'mine']);
  });

  it('peeks the oldest events within count and bytes, at least one, skipping some', () => {
    const { queue } = setup();
    queue.push([queued('a', 400), queued('b', 400), queued('c', 400), queued('d', 5_000)]);
    expect(ids(queue.peek(2, 100_000))).toEqual(['a', 'b']);
    // Each item also costs a comma: 401 + 401 fits in 802, a third does not.
    expect(ids(queue.peek(10, 802))).toEqual(['a', 'b']);
    expect(ids(queue.peek(10, 801))).toEqual(['a']);
    expect(ids(queue.peek(10, 10))).toEqual(['a']);
    expect(ids(queue.peek(10, 2_000, new Set(['a', 'b'])))).toEqual(['c']);
  });

  it('removes by messageId, wherever the events are', () => {
    const { queue } = setup();
    queue.push([queued('a'), queued('b'), queued('c')]);
    queue.remove(new Set(['b', 'zzz']));
    expect(ids(queue.peek(10, 100_000))).toEqual(['a', 'c']);
    expect(ids(queue.clear())).toEqual(['a', 'c']);
    expect(queue.length).toBe(0);
  });
  it('keeps its byte count right through pushes, drops, removals and clears', () => {
    const { queue } = setup({ maxEvents: 4, maxBytes: 100_000 });
    const total = () => queue.peek(100, 1e9).reduce((n, e) => n + e.bytes, 0);
    queue.push([queued('a', 10), queued('b', 20)]);
    queue.push([queued('c', 30)]);
    expect(queue.bytes).toBe(60);
    queue.push([queued('z', 5)], true);
    queue.push([queued('d', 40)]); // drops z, the oldest
    expect(queue.bytes).toBe(total());
    expect(queue.bytes).toBe(100);
    queue.remove(new Set(['b']));
    expect(queue.bytes).toBe(80);
    queue.push([queued('e', 1)]);
    expect(queue.bytes).toBe(total());
    queue.clear();
    expect(queue.bytes).toBe(0);
  });

  it('queues in constant time per event in memory, however long the queue (an outage)', () => {
    const { queue } = setup({ maxEvents: 100_000, maxBytes: 1e9 });
    const started = performance.now();
    let wrong = 0;
    for (let i = 0; i < 50_000; i++) {
      queue.push([queued(`m${i}`)]); // the delivery reads the byte count after each push
      if (queue.bytes !== (i + 1) * 100) wrong++;
    }
    // Summing the queue on each push took seconds here; constant time takes milliseconds.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(wrong).toBe(0);
  });
});
