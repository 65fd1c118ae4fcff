import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './webhook-signature.js';

describe('verifySignature', () => {
  const secret = 'whsec_test';
  const body = '{"kind":"inactive"}';
  const now = 1_800_000_000;

  it('accepts a fresh signature and refuses a changed body or an old timestamp', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature(secret, body, header, now)).toBe(true);
    expect(verifySignature(secret, `${body} `, header, now)).toBe(false);
    expect(verifySignature(secret, body, header, now + 301)).toBe(false);
  });

  it('answers false, not a RangeError, for a forged signature of multi-byte characters', () => {
    const forged = `t=${now},v1=${'é'.repeat(64)}`;
    expect(() => verifySignature(secret, body, forged, now)).not.toThrow();
    expect(verifySignature(secret, body, forged, now)).toBe(false);
  });
});
