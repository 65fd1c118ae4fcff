import { describe, expect, it } from 'vitest';
import type { CommittedEvent } from '../ingest/write-lane.js';
import { mergeNeeds, type Need, needOf } from './event-needs.js';

const TODAY = '2026-12-06';
const event = (fields: Partial<CommittedEvent>): CommittedEvent => ({
  projectId: 'p',
  accountId: 'a',
  timestamp: `${TODAY}T10:00:00.000Z`,
  type: 'track',
  event: 'login',
  ...fields,
});

describe('what new events ask of a kept score', () => {
  it('sends late data and identities to a full scoring', () => {
    for (const other of [
      event({ timestamp: '2026-12-05T23:59:59.000Z' }),
      event({ timestamp: '2026-12-07T00:00:00.000Z' }),
      event({ event: 'support_ticket_opened', timestamp: '2026-12-05T23:59:59.000Z' }),
      event({ type: 'identify', event: null }),
      event({ type: 'alias', event: null }),
    ]) {
      expect(needOf(other, TODAY)).toBe('rescore');
    }
  });

  it('refreshes terms and tickets of the day, and asks only a row of the day for the rest', () => {
    for (const current of [
      event({ type: 'group', event: null }),
      event({ event: 'support_ticket_opened' }),
      event({ event: 'support_ticket_resolved' }),
      event({ event: 'subscription_changed' }),
      event({ event: 'subscription_cancelled' }),
    ]) {
      expect(needOf(current, TODAY)).toBe('refresh');
    }
    for (const counted of [
      event({}),
      event({ type: 'page', event: 'Home' }),
      // A page named like a track event is still only a page view.
      event({ type: 'page', event: 'support_ticket_opened' }),
      event({ event: 'report_exported' }),
      event({ event: 'kb_article_viewed' }),
      event({ event: 'feature_used' }),
    ]) {
      expect(needOf(counted, TODAY)).toBe('row');
    }
  });

  it('merges an account’s needs, the stronger winning', () => {
    const needs: Need[] = ['row', 'refresh', 'rescore'];
    for (const [i, a] of needs.entries()) {
      for (const [j, b] of needs.entries()) expect(mergeNeeds(a, b)).toBe(needs[Math.max(i, j)]);
    }
  });
});
