import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '../db/database.types.js';
import { effectiveAsOf } from '../time/as-of.js';
import { utcDay } from '../time/utc-day.js';
import { readKeptToday } from './current-scores.sql.js';
import { KeptTodayMemo } from './kept-today-memo.js';
import { refreshFromKept, rescoreAccounts, type Written } from './rescore-accounts.js';
import type { KeeperWork, ScoreKeeperOptions } from './score-keeper.options.js';
import { type Need, planKeeping } from './today-delta.js';

/**
 * The score keeper's writing of rows (score-keeper.ts decides when): after events, the rows
 * they change (today-delta.ts), and a pass's batches. It remembers what the rows it read and
 * wrote say of their day, and each project's key features of the day, to weigh later events
 * against them without reading the rows again.
 */
export class RowKeeping {
  private readonly shownToday = new KeptTodayMemo();
  private readonly keyFeatures = new Map<string, { day: string; features: string[] }>();

  constructor(
    private readonly db: Db,
    private readonly options: Pick<ScoreKeeperOptions, 'batchSize' | 'now' | 'onWork'>,
  ) {}

  /**
   * Writes the rows that the accounts' events change: refreshes those whose events are all of
   * their row's day, scores the rest in full, in batches of `batchSize`; leaves those whose
   * rows already show what their events did.
   */
  async keep(projectId: string, needs: Map<string, Need>): Promise<void> {
    const { batchSize } = this.options;
    const keys = this.keyFeatures.get(projectId);
    const day = utcDay(this.options.now());
    const { rescore, refresh, current } = await this.timed('weigh', needs.size, () =>
      planKeeping(
        needs,
        (accountIds) =>
          this.shownToday.read(projectId, day, accountIds, (unknown) =>
            readKeptToday(this.db, projectId, unknown),
          ),
        keys?.day === day ? keys.features : null,
      ),
    );
    this.options.onWork('leave', needs.size - rescore.length - refresh.length, 0);
    for (let start = 0; start < refresh.length; start += batchSize) {
      const asOf = effectiveAsOf(this.options.now());
      const ids = refresh.slice(start, start + batchSize);
      const written = await this.timed('refresh', ids.length, () =>
        refreshFromKept(this.db, projectId, ids, asOf, current),
      );
      this.remember(projectId, asOf, written);
      rescore.push(...written.unrefreshed);
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
    this.remember(projectId, asOf, written);
  }

  /** Forgets what the project's rows say (a pass is about to rewrite them). */
  forget(projectId: string): void {
    this.shownToday.forget(projectId);
  }

  /** Runs `run`, reporting it as `work` for `accounts` accounts (`onWork`). */
  private async timed<T>(work: KeeperWork, accounts: number, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await run();
    this.options.onWork(work, accounts, (performance.now() - started) / 1000);
    return result;
  }

  private remember(projectId: string, asOf: Date, { today, keyFeatures }: Written) {
    const day = utcDay(asOf);
    this.keyFeatures.set(projectId, { day, features: keyFeatures });
    this.shownToday.remember(projectId, day, today);
  }
}
