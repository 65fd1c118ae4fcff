import { describe, expect, it } from 'vitest';
import { uuidFromRandom } from './uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidFromRandom', () => {
  it('formats a UUID v4 with the RFC 4122 variant whatever the bytes', () => {
    for (const byte of [0, 0x0f, 0x80, 0xff]) expect(uuidFromRandom(() => byte)).toMatch(V4);
  });

  it('draws fresh digits each time', () => {
    const randomByte = () => crypto.getRandomValues(new Uint8Array(1))[0] ?? 0;
    const ids = new Set(Array.from({ length: 1_000 }, () => uuidFromRandom(randomByte)));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(V4);
  });
});
