import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.js';
import { parseMessage } from './parse-message.js';

const track = (extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'report_exported',
  userId: 'u1',
  ...extra,
});

describe('parseMessage', () => {
  it('accepts every Segment message type', () => {
    const messages = [
      track(),
      { type: 'identify', userId: 'u1', traits: { email: 'a@b.c' } },
      { type: 'group', userId: 'u1', groupId: 'acme', traits: { plan: 'pro' } },
      { type: 'page', anonymousId: 'a1', name: 'Home' },
      { type: 'screen', anonymousId: 'a1', name: 'Settings' },
      { type: 'alias', previousId: 'a1', userId: 'u1' },
    ];
    for (const message of messages) expect(parseMessage(message)).toMatchObject({ ok: true });
  });

  it('stores numeric ids as strings', () => {
    const result = parseMessage({ type: 'group', userId: 42, groupId: 7 });
    expect(result).toMatchObject({ ok: true, message: { userId: '42', groupId: '7' } });
  });

  it.each([
    [null, 'invalid_message'],
    [[], 'invalid_message'],
    [{ event: 'x', userId: 'u' }, 'unknown_type'],
    [{ type: 'purchase', userId: 'u' }, 'unknown_type'],
    [{ type: 'track', userId: 'u' }, 'invalid_message'],
    [{ type: 'track', event: 'x' }, 'missing_identity'],
    [track({ timestamp: 'yesterday' }), 'invalid_timestamp'],
    [track({ sentAt: 1700000000 }), 'invalid_timestamp'],
    [track({ properties: 'not an object' }), 'invalid_message'],
    [{ type: 'group', userId: 'u1' }, 'invalid_message'],
    [{ type: 'alias', userId: 'u1' }, 'invalid_message'],
    [track({ event: 'feature_used', properties: {} }), 'invalid_semantic_event'],
    [
      track({ event: 'subscription_started', properties: { plan: 'pro', mrr: -5 } }),
      'invalid_semantic_event',
    ],
    [
      track({ event: 'support_ticket_resolved', properties: { ticketId: 't', satisfied: 'yes' } }),
      'invalid_semantic_event',
    ],
    [track({ properties: { text: 'nul \u0000 byte' } }), 'invalid_message'],
    [track({ properties: { text: 'lone \ud800 surrogate' } }), 'invalid_message'],
  ])('refuses %j with %s', (raw, code) => {
    expect(parseMessage(raw)).toMatchObject({ ok: false, code });
  });

  it('names the offending path of a semantic property', () => {
    const result = parseMessage(track({ event: 'feature_used', properties: { feature: 3 } }));
    expect(result).toMatchObject({ ok: false, path: 'properties.feature' });
  });

  it('refuses messages over 32 KB', () => {
    const result = parseMessage(track({ properties: { blob: 'x'.repeat(LIMITS.maxEventBytes) } }));
    expect(result).toMatchObject({ ok: false, code: 'event_too_large' });
  });

  it('refuses deep nesting without overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i += 1) deep = { d: deep };
    expect(parseMessage(track({ properties: deep }))).toMatchObject({
      ok: false,
      code: 'too_deep',
    });
    let allowed: Record<string, unknown> = {};
    for (let i = 0; i < LIMITS.maxPropertyDepth - 1; i += 1) allowed = { d: allowed };
    expect(parseMessage(track({ properties: allowed }))).toMatchObject({ ok: true });
  });

  it('keeps extra properties of semantic events', () => {
    const result = parseMessage(
      track({ event: 'feature_used', properties: { feature: 'reports', format: 'csv' } }),
    );
    expect(result).toMatchObject({
      ok: true,
      message: { properties: { feature: 'reports', format: 'csv' } },
    });
  });
});
