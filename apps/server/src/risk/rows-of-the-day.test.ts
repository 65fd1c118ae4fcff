import { describe, expect, it } from 'vitest';
import { RowsOfTheDay } from './rows-of-the-day.js';

const DAY = '2026-12-06';

/** A stand-in for the read of kept rows' days: records what it was asked for. */
function rowsOf(days: Record<string, string>) {
  const asked: string[][] = [];
  const scoredDays = async (ids: string[]) => {
    asked.push(ids);
    return new Map(ids.flatMap((id) => (days[id] ? [[id, days[id]] as const] : [])));
  };
  return { asked, scoredDays };
}

describe('the accounts with a kept row of the day, remembered', () => {
  it('reads each account until its row is found of the day', async () => {
    const memo = new RowsOfTheDay();
    const { asked, scoredDays } = rowsOf({ a: DAY, b: '2026-12-05' });
    expect(await memo.without('p', DAY, ['a', 'b', 'c'], scoredDays)).toEqual(['b', 'c']);
    expect(await memo.without('p', DAY, ['a', 'b', 'c'], scoredDays)).toEqual(['b', 'c']);
    expect(asked).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c'],
    ]);
    // Another project, or the next day, reads anew.
    await memo.without('q', DAY, ['a'], scoredDays);
    expect(await memo.without('p', '2026-12-07', ['a'], scoredDays)).toEqual(['a']);
    expect(asked.slice(2)).toEqual([['a'], ['a']]);
  });

  it('takes the rows it is told were written as found, for their day only', async () => {
    const memo = new RowsOfTheDay();
    const { asked, scoredDays } = rowsOf({});
    memo.remember('p', DAY, ['a', 'b']);
    expect(await memo.without('p', DAY, ['a', 'b'], scoredDays)).toEqual([]);
    expect(asked).toEqual([]);
    expect(await memo.without('p', '2026-12-07', ['a'], scoredDays)).toEqual(['a']);
    expect(await memo.without('p', DAY, ['a'], scoredDays)).toEqual(['a']);
    expect(asked).toEqual([['a'], ['a']]);
  });
});
