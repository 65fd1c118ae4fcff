import { readdirSync, readFileSync } from 'node:fs';
import { ERROR_CODES, EVENT_REJECTION_CODES } from '@tenure/schema';
import { describe, expect, it } from 'vitest';

const DOCS = new URL('../../../docs/', import.meta.url);

/** Every code a client can meet is written in the docs (as `code`), so none is a surprise. */
describe('error codes in the docs', () => {
  const docs = readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .map((name) => readFileSync(new URL(name, DOCS), 'utf8'))
    .join('\n');
  const undocumented = (codes: readonly string[]) =>
    codes.filter((code) => !docs.includes(`\`${code}\``));

  it('lists every error code of the contract', () => {
    expect(undocumented(ERROR_CODES)).toEqual([]);
  });

  it('lists every per-event rejection code', () => {
    expect(undocumented(EVENT_REJECTION_CODES)).toEqual([]);
  });
});
