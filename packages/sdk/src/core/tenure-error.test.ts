import { afterEach, describe, expect, it, vi } from 'vitest';
import { logError, type TenureError } from './tenure-error.js';

describe('logError, the default onError', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs every failure, but a queue that stays full only on its first and every 1000th drop', () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    const overflow: TenureError = { code: 'queue_overflow', message: 'Queue full', messages: [] };
    for (let i = 0; i < 2_500; i += 1) logError(overflow);
    expect(printed).toHaveBeenCalledTimes(3); // drops 1, 1001 and 2001
    logError({ code: 'invalid_write_key', message: 'The write key is not valid', messages: [] });
    logError({ code: 'invalid_write_key', message: 'The write key is not valid', messages: [] });
    expect(printed).toHaveBeenCalledTimes(5);
    expect(printed).toHaveBeenLastCalledWith(
      '[tenure]',
      expect.objectContaining({ code: 'invalid_write_key' }),
    );
  });
});
