import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { HeavyWork } from './heavy-work.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('HeavyWork', () => {
  it('shares an identical computation in flight instead of running it twice', async () => {
    const heavy = new HeavyWork({ global: 1, perProject: 1 });
    const { open, opened } = gate();
    let runs = 0;
    const compute = async () => {
      runs += 1;
      await opened;
      return runs;
    };
    const first = heavy.run('p1', 'list:now', compute);
    const second = heavy.run('p1', 'list:now', compute);
    open();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(runs).toBe(1);
    expect(heavy.active).toBe(0);
  });

  it('answers 503 overloaded beyond the per-project and the global limit, and frees slots', async () => {
    const heavy = new HeavyWork({ global: 3, perProject: 2, retryAfterSeconds: 3 });
    const { open, opened } = gate();
    const hold = () => opened;
    const running = [heavy.run('p1', 'a', hold), heavy.run('p1', 'b', hold)];
    let refused: unknown;
    try {
      void heavy.run('p1', 'c', hold);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'overloaded', status: 503, retryAfterSeconds: 3 });
    expect((refused as Error).message).toContain('this project');

    running.push(heavy.run('p2', 'a', hold));
    expect(() => heavy.run('p3', 'a', hold)).toThrow(/this server/);

    open();
    await Promise.all(running);
    expect(heavy.active).toBe(0);
    await expect(heavy.run('p1', 'c', async () => 'ran')).resolves.toBe('ran');
  });

  it('frees the slot when the computation fails', async () => {
    const heavy = new HeavyWork({ global: 1, perProject: 1 });
    await expect(
      heavy.run('p1', 'a', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(heavy.run('p1', 'a', async () => 1)).resolves.toBe(1);
  });
});
