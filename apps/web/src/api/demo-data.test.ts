import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoData, noteDemoData } from './demo-data.js';

afterEach(() => {
  vi.useRealTimers();
  demoData.set(null);
});

describe('the demo data banner state', () => {
  it('is nothing outside a demo being generated', () => {
    noteDemoData(null);
    expect(demoData.get()).toBeNull();
  });

  it('follows the header, polls while partial, and says when the data became complete', async () => {
    vi.useFakeTimers();
    const answers = ['partial, 80 of 150 accounts written', null];
    const check = vi.fn(async () => answers.shift() ?? null);
    noteDemoData('partial, 12 of 150 accounts written', check);
    expect(demoData.get()).toEqual({
      state: 'partial',
      note: 'partial, 12 of 150 accounts written',
    });

    await vi.advanceTimersByTimeAsync(3_000);
    expect(demoData.get()).toEqual({
      state: 'partial',
      note: 'partial, 80 of 150 accounts written',
    });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(demoData.get()).toEqual({ state: 'complete' });
    // Complete: no more polling.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(check).toHaveBeenCalledTimes(2);
  });
});
