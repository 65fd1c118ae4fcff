import { describe, expect, it } from 'vitest';
import type { TodayActivity } from './account-features.types.js';
import { KeptTodayMemo } from './kept-today-memo.js';
import type { KeptToday } from './today-delta.js';

const DAY = '2026-12-06';
const activity = (logins: number): TodayActivity => ({
  logins,
  kbViews: 0,
  milestones: 0,
  keyFeaturesUsed: [],
});

/** A stand-in for the read of kept rows: records what it was asked for. */
function rowsOf(rows: Record<string, KeptToday>) {
  const asked: string[][] = [];
  const read = async (ids: string[]) => {
    asked.push(ids);
    return new Map(ids.flatMap((id) => (rows[id] ? [[id, rows[id]] as const] : [])));
  };
  return { asked, read };
}

describe('what kept rows say of their day, remembered', () => {
  it('reads each row once a day, remembering only rows of that day', async () => {
    const memo = new KeptTodayMemo();
    const { asked, read } = rowsOf({
      a: { scoredDay: DAY, today: activity(1) },
      b: { scoredDay: '2026-12-05', today: activity(2) },
    });
    const first = await memo.read('p', DAY, ['a', 'b', 'c'], read);
    expect([...first.keys()].sort()).toEqual(['a', 'b']);
    const again = await memo.read('p', DAY, ['a', 'b', 'c'], read);
    expect(again.get('a')).toEqual({ scoredDay: DAY, today: activity(1) });
    expect(again.get('b')?.scoredDay).toBe('2026-12-05');
    expect(asked).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c'],
    ]);
    // Another project, or the next day, reads anew.
    await memo.read('q', DAY, ['a'], read);
    await memo.read('p', '2026-12-07', ['a'], read);
    expect(asked.slice(2)).toEqual([['a'], ['a']]);
  });

  it('answers with what was written last, and forgets a project', async () => {
    const memo = new KeptTodayMemo();
    const { asked, read } = rowsOf({});
    memo.remember('p', DAY, new Map([['a', activity(3)]]));
    expect((await memo.read('p', DAY, ['a'], read)).get('a')?.today).toEqual(activity(3));
    memo.remember('p', DAY, new Map([['a', activity(4)]]));
    expect((await memo.read('p', DAY, ['a'], read)).get('a')?.today).toEqual(activity(4));
    expect(asked).toEqual([]);
    memo.forget('p');
    expect((await memo.read('p', DAY, ['a'], read)).size).toBe(0);
    expect(asked).toEqual([['a']]);
  });
});
