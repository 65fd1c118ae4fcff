import { describe, expect, it } from 'vitest';
import { utf8Length } from './utf8-length.js';

const encoder = new TextEncoder();

describe('utf8Length', () => {
  it.each([
    ['ascii', 'feature_used'],
    ['two-byte', 'café, Zürich'],
    ['three-byte', '日本語のレポート'],
    ['four-byte (surrogate pairs)', 'rocket 🚀 and 👩‍💻'],
    ['empty', ''],
  ])('matches TextEncoder for %s text', (_, text) => {
    expect(utf8Length(text)).toBe(encoder.encode(text).length);
  });

  it('matches TextEncoder on random strings across the planes', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let i = 0; i < 50; i++) {
        const codePoint = next() % 0x11_0000;
        // Lone surrogates are not text; JSON.stringify escapes them anyway.
        if (codePoint >= 0xd800 && codePoint < 0xe000) continue;
        text += String.fromCodePoint(codePoint);
      }
      expect(utf8Length(text)).toBe(encoder.encode(text).length);
    }
  });
});
