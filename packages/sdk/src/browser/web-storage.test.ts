import type { Message } from '@tenure/schema';
import { describe, expect, it } from 'vitest';
import type { QueuedEvent } from '../core/event-queue.js';
import { quotaStorage } from '../testing/fake-browser.js';
import { prefixedStore, storageQueue } from './web-storage.js';

function queued(id: string): QueuedEvent {
  const message: Message = { type: 'track', event: 'login', userId: 'u', messageId: id };
  return { message, bytes: 60 };
}

describe('storageQueue', () => {
  it('keeps the queue in memory while storage refuses it, and persists it again once it fits', () => {
    const storage = quotaStorage(400);
    const queue = storageQueue(storage, 'q');
    queue.save([queued('a')]);
    expect(storage.getItem('q')).toContain('"a"');

    const many = ['b', 'c', 'd', 'e', 'f'].map(queued);
    expect(() => queue.save(many)).not.toThrow();
    expect(queue.load().map((e) => e.message.messageId)).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(storage.getItem('q')).toContain('"a"'); // what storage last took, for the next page

    queue.save([queued('g')]);
    expect(storage.getItem('q')).toContain('"g"');
    expect(queue.load().map((e) => e.message.messageId)).toEqual(['g']);
  });
});

describe('prefixedStore', () => {
  it('remembers values storage refuses for the life of the page, and forgets them on remove', () => {
    const storage = quotaStorage(0);
    const store = prefixedStore(storage, 'tenure:');
    store.set('uid', 'u_1');
    expect(store.get('uid')).toBe('u_1');
    expect(storage.getItem('tenure:uid')).toBeNull();
    store.remove('uid');
    expect(store.get('uid')).toBeNull();
  });
});
