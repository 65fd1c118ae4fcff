import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '../db/database.types.js';
import { effectiveAsOf } from '../time/as-of.js';
import { utcDay } from '../time/utc-day.js';
import { readScoredDays } from './current-scores.sql.js';
import type { Need } from './event-needs.js';
import { refreshFromKept, rescoreAccounts } from './rescore-accounts.js';
import { RowsOfTheDay } from './rows-of-the-day.js';
import type { KeeperWork, ScoreKeeperOptions } from './score-keeper.options.js';

/**
 * The score keeper's writing of rows (score-keeper.ts decides when): after events, the rows
 * they change (event-needs.ts), and a pass's batches. It remembers which accounts have a row of
 * the day, to check later events against memory instead of reading their rows again.
 */
export class RowKeeping {
  private readonly rowsOfTheDay = new RowsOfTheDay();

  constructor(
    private readonly db: Db,
    private readonly options: Pick<ScoreKeeperOptions, 'batchSize' | 'now' | 'onWork'>,
  ) {}

  /**
   * Writes the rows that the accounts' events change, in batches of `batchSize`: refreshes
   * those whose terms or tickets moved within their row's day, scores in full those with late
   * data or identities, and those without a row of the day; leaves the others as they are.
   */
  async keep(projectId: string, needs: Map<string, Need>): Promise<void> {
    const { batchSize } = this.options;
    const byNeed: Record<Need, string[]> = { rescore: [], refresh: [], row: [] };
    for (const [id, need] of needs) byNeed[need].push(id);
    const { rescore, refresh, row } = byNeed;
    const day = utcDay(this.options.now());
    const rowless = await this.timed('check', row.length, () =>
      this.rowsOfTheDay.without(projectId, day, row, (ids) =>
        readScoredDays(this.db, projectId, ids),
      ),
    );
    rescore.push(...rowless);
    this.options.onWork('leave', row.length - rowless.length, 0);
    for (let start = 0; start < refresh.length; start += batchSize) {
      const ids = refresh.slice(start, start + batchSize);
      const { unrefreshed } = await this.timed('refresh', ids.length, () =>
        refreshFromKept(this.db, projectId, ids, effectiveAsOf(this.options.now())),
      );
      rescore.push(...unrefreshed);
      await yieldToEventLoop();
    }
    for (let start = 0; start < rescore.length; start += batchSize) {
      await this.rescore(projectId, rescore.slice(start, start + batchSize), 'rescore');
      await yieldToEventLoop();
    }
  }

  /** Scores the accounts in full and stores their rows, reported as `work`. */
  async rescore(projectId: string, ids: string[], work: 'rescore' | 'pass'): Promise<void> {
    if (ids.length === 0) return;
    const asOf = effectiveAsOf(this.options.now());
    const written = await this.timed(work, ids.length, () =>
      rescoreAccounts(this.db, projectId, ids, asOf),
    );
    this.rowsOfTheDay.remember(projectId, utcDay(asOf), written);
  }

  /** Runs `run`, reporting it as `work` for `accounts` accounts (`onWork`). */
  private async timed<T>(work: KeeperWork, accounts: number, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await run();
    this.options.onWork(work, accounts, (performance.now() - started) / 1000);
    return result;
  }
}
