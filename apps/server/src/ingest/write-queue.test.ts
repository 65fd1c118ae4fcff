import { describe, expect, it } from 'vitest';
import type { EventRecord } from './event-record.js';
import { type PendingWrite, WriteQueue } from './write-queue.js';

let written = 0;

/** A write of `events` records of `projectId`, chosen for `lane`; `name` tells writes apart. */
function write(projectId: string, lane: number, anyLane: boolean, events = 100) {
  written += 1;
  const records = Array.from({ length: events }, () => ({ project_id: projectId }) as EventRecord);
  const pending: PendingWrite & { name: string } = {
    name: `${projectId}#${written}`,
    projectId,
    records,
    lane,
    anyLane,
    resolve: () => {},
    reject: () => {},
  };
  return pending;
}

function queueOf(writes: PendingWrite[]) {
  const queue = new WriteQueue();
  for (const pending of writes) queue.push(pending);
  return queue;
}

const names = (batch: PendingWrite[]) =>
  batch.map((pending) => (pending as { name?: string }).name);

describe('WriteQueue, writes bound to their lane (Postgres, PGlite)', () => {
  it('gives a lane its oldest write and the later ones of that project, in order', () => {
    const [a1, b1, a2, a3] = [
      write('a', 0, false),
      write('b', 0, false),
      write('a', 0, false),
      write('a', 1, false),
    ];
    const queue = queueOf([a1, b1, a2, a3]);
    expect(queue.take(0, 5_000)).toEqual([a1, a2]);
    expect(queue.take(0, 5_000)).toEqual([b1]);
    expect(queue.hasWorkFor(0)).toBe(false);
    expect(queue.hasWorkFor(1)).toBe(true);
    expect(queue.take(1, 5_000)).toEqual([a3]);
  });

  it('takes a lane its own writes even while another lane flushes the project', () => {
    const [a1, a2] = [write('a', 0, false), write('a', 1, false)];
    const queue = queueOf([a1, a2]);
    expect(queue.take(0, 5_000)).toEqual([a1]);
    expect(queue.take(1, 5_000)).toEqual([a2]);
  });

  it('stops at the event limit and keeps the later writes of the project behind it', () => {
    const [a1, a2, a3] = [
      write('a', 0, false, 300),
      write('a', 0, false, 300),
      write('a', 0, false, 100),
    ];
    const queue = queueOf([a1, a2, a3]);
    expect(names(queue.take(0, 500))).toEqual(names([a1]));
    expect(names(queue.take(0, 500))).toEqual(names([a2, a3]));
  });

  it('takes a first write larger than the limit alone', () => {
    const [a1, a2] = [write('a', 0, false, 900), write('a', 0, false, 10)];
    const queue = queueOf([a1, a2]);
    expect(queue.take(0, 500)).toEqual([a1]);
    expect(queue.take(0, 500)).toEqual([a2]);
  });
});

describe('WriteQueue, writes any lane may take (Citus)', () => {
  it('gathers every waiting write of the oldest project, whichever lane it was chosen for', () => {
    const [a1, b1, a2, a3] = [
      write('a', 0, true),
      write('b', 1, true),
      write('a', 1, true),
      write('a', 0, true),
    ];
    const queue = queueOf([a1, b1, a2, a3]);
    expect(queue.take(1, 5_000)).toEqual([a1, a2, a3]);
    expect(queue.take(0, 5_000)).toEqual([b1]);
  });

  it('prefers a project no lane is flushing, so that the flushed one gathers its next writes', () => {
    const queue = queueOf([write('a', 0, true)]);
    queue.take(0, 5_000); // lane 0 flushes project a
    const [a2, b1, a3] = [write('a', 1, true), write('b', 0, true), write('a', 0, true)];
    for (const pending of [a2, b1, a3]) queue.push(pending);
    expect(queue.take(1, 5_000)).toEqual([b1]);
    queue.done('a');
    expect(queue.take(0, 5_000)).toEqual([a2, a3]);
  });

  it('when every waiting project is being flushed, a free lane takes its own writes', () => {
    const queue = queueOf([write('a', 0, true)]);
    queue.take(0, 5_000);
    const [a2, a3] = [write('a', 0, true), write('a', 1, true)];
    for (const pending of [a2, a3]) queue.push(pending);
    expect(queue.hasWorkFor(1)).toBe(true);
    expect(queue.take(1, 5_000)).toEqual([a3]);
    // Both lanes flush project a now; lane 0's write waits for lane 0.
    expect(queue.hasWorkFor(1)).toBe(false);
    expect(queue.hasWorkFor(0)).toBe(true);
    queue.done('a');
    queue.done('a');
    expect(queue.hasWorkFor(1)).toBe(true);
    expect(queue.take(1, 5_000)).toEqual([a2]);
  });
});
