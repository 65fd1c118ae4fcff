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

describe('parseMessage on hostile input', () => {
  it('names a deeply nested or huge type without serializing it', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(parseMessage({ type: deep, userId: 'u' })).toMatchObject({
      ok: false,
      code: 'unknown_type',
      message: expect.stringContaining('(an array)'),
    });
    const huge = parseMessage({ type: 'x'.repeat(200_000), userId: 'u' });
    expect(huge).toMatchObject({ ok: false, code: 'unknown_type' });
    expect(huge.ok === false && huge.message.length).toBeLessThan(200);
  });

  it.each([
    ['0000-01-01T00:00:00Z', 'year 0000, which Postgres cannot store'],
    ['0001-01-01T00:00:00+01:00', 'year 0000 once in UTC'],
    ['9999-12-31T23:00:00-05:00', 'year 10000 once in UTC'],
    ['2024-02-30T00:00:00Z', 'a day that does not exist'],
    ['2023-02-29', 'February 29th of a common year'],
  ])('refuses the timestamp %s (%s)', (timestamp) => {
    for (const field of ['timestamp', 'sentAt', 'originalTimestamp']) {
      expect(parseMessage(track({ [field]: timestamp }))).toMatchObject({
        ok: false,
        code: 'invalid_timestamp',
        path: field,
      });
    }
  });

  it('accepts leap days, offsets and dates at the edges of the storable range', () => {
    for (const timestamp of [
      '2024-02-29',
      '2024-06-01T10:00:00+05:30',
      '2024-06-01T10:00:00.123456Z',
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
    ]) {
      expect(parseMessage(track({ timestamp })), timestamp).toMatchObject({ ok: true });
    }
  });

  it('reads null optional fields as absent, as Segment libraries send them', () => {
    const result = parseMessage({
      type: 'page',
      userId: null,
      anonymousId: 'a1',
      messageId: null,
      timestamp: null,
      name: null,
      category: null,
      properties: null,
      context: { groupId: null },
      integrations: null,
    });
    expect(result).toMatchObject({ ok: true, message: { anonymousId: 'a1' } });
    expect(result.ok && result.message.userId).toBeUndefined();
    expect(result.ok && result.message.context?.groupId).toBeUndefined();
    expect(
      parseMessage({ type: 'track', event: 'x', userId: null, anonymousId: null }),
    ).toMatchObject({ ok: false, code: 'missing_identity' });
  });

  it('refuses numeric ids that lost digits in JSON parsing', () => {
    const result = parseMessage(
      JSON.parse('{"type":"track","event":"x","userId":123456789012345678901}'),
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid_message', path: 'userId' });
    expect(parseMessage(track({ userId: Number.MAX_SAFE_INTEGER }))).toMatchObject({
      ok: true,
      message: { userId: '9007199254740991' },
    });
  });

  it('refuses numbers that overflowed to Infinity instead of storing them as null', () => {
    const raw = JSON.parse('{"type":"track","event":"x","userId":"u","properties":{"n":1e400}}');
    expect(parseMessage(raw)).toMatchObject({ ok: false, code: 'invalid_message' });
    expect(parseMessage(track({ properties: { n: -0, m: 1e308 } }))).toMatchObject({ ok: true });
  });

  // The writer casts seats to integer and endsAt to timestamptz for all four subscription
  // events; a value that fails the cast fails the whole flush, other requests' events included.
  it.each([
    ['subscription_cancelled', { reason: 'price', seats: 'abc' }, 'properties.seats'],
    ['subscription_cancelled', { reason: 'price', seats: 1.5 }, 'properties.seats'],
    ['subscription_cancelled', { reason: 'price', endsAt: '0000-01-01' }, 'properties.endsAt'],
    ['subscription_started', { plan: 'pro', mrr: 10, endsAt: 'garbage' }, 'properties.endsAt'],
    ['subscription_renewed', { plan: 'pro', mrr: 10, endsAt: 5 }, 'properties.endsAt'],
    ['subscription_changed', { plan: 'pro', mrr: 10, seats: -1 }, 'properties.seats'],
  ])('refuses %s with %j at %s', (event, properties, path) => {
    expect(parseMessage(track({ event, properties }))).toMatchObject({
      ok: false,
      code: 'invalid_semantic_event',
      path,
    });
  });

  it('stores endsAt of every subscription event as a UTC instant', () => {
    for (const event of ['subscription_started', 'subscription_cancelled']) {
      const properties = {
        plan: 'pro',
        mrr: 10,
        reason: 'price',
        endsAt: '2027-01-31T10:00+01:00',
      };
      expect(parseMessage(track({ event, properties }))).toMatchObject({
        ok: true,
        message: { properties: { endsAt: '2027-01-31T09:00:00.000Z' } },
      });
    }
  });
});
