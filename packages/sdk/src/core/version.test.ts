import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SDK_NAME, SDK_VERSION } from './version.js';

describe('version', () => {
  it('matches package.json, which is what context.library reports', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect({ name: SDK_NAME, version: SDK_VERSION }).toEqual({
      name: pkg.name,
      version: pkg.version,
    });
  });
});
