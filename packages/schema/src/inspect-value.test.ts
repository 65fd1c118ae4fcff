import { describe, expect, it } from 'vitest';
import { inspectValue } from './inspect-value.js';

const sizeOf = (value: unknown) => inspectValue(value, 32).bytes;
const utf8 = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe('inspectValue', () => {
  it('measures the UTF-8 size of the JSON exactly when no string needs escaping', () => {
    const values = [
      {},
      [],
      { a: 1 },
      [1, 2, 3],
      { a: { b: [1, 'two', null, true] }, ünï: 'çödé 😀', n: -1.5e-7 },
      [[], {}, [[]], { x: [] }],
      'plain',
      42,
    ];
    for (const value of values) expect(sizeOf(value), JSON.stringify(value)).toBe(utf8(value));
  });

  it('flags text Postgres cannot store, numbers JSON cannot carry, and deep nesting', () => {
    expect(inspectValue({ a: 'x\u0000y' }, 8).unstorable).toBe(true);
    expect(inspectValue({ a: '\ud800' }, 8).unstorable).toBe(true);
    expect(inspectValue({ a: Number.POSITIVE_INFINITY }, 8).nonFinite).toBe(true);
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    expect(inspectValue(deep, 16).tooDeep).toBe(true);
  });
});
