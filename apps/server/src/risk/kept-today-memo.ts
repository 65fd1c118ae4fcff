import type { TodayActivity } from './account-features.types.js';
import type { KeptToday } from './today-delta.js';

/** Accounts remembered per process at most (about 200 bytes each). */
const MEMO_LIMIT = 250_000;

/**
 * What kept rows say of the day they were scored on, as this process last read or wrote them,
 * so that the keeper weighs an account's events of the day against memory instead of reading
 * its row each time. A day's counters only grow, so what a row of the day showed, every later
 * scoring of that day shows too, by this process or another: an entry stays true until the day
 * changes. (A stale write of another process could still make a row show less than remembered:
 * the row's messages of the day then lag until its next refresh or the daily pass.)
 */
export class KeptTodayMemo {
  private readonly projects = new Map<string, { day: string; rows: Map<string, TodayActivity> }>();
  private size = 0;

  /**
   * The kept rows of `day` of the accounts: remembered ones from memory, the others by `read`
   * (then remembered when they are of `day`).
   */
  async read(
    projectId: string,
    day: string,
    accountIds: string[],
    read: (accountIds: string[]) => Promise<Map<string, KeptToday>>,
  ): Promise<Map<string, KeptToday>> {
    const rows = this.rowsOf(projectId, day);
    const kept = new Map<string, KeptToday>();
    const missing: string[] = [];
    for (const id of accountIds) {
      const today = rows.get(id);
      if (today) kept.set(id, { scoredDay: day, today });
      else missing.push(id);
    }
    if (missing.length === 0) return kept;
    const found = await read(missing);
    for (const [id, row] of found) {
      kept.set(id, row);
      if (row.scoredDay === day && row.today) this.set(rows, id, row.today);
    }
    return kept;
  }

  /** Remembers what rows scored on `day` now say of it. */
  remember(projectId: string, day: string, written: Map<string, TodayActivity>): void {
    const rows = this.rowsOf(projectId, day);
    for (const [id, today] of written) this.set(rows, id, today);
  }

  /** Forgets a project (settings or model changed: a pass rewrites every row). */
  forget(projectId: string): void {
    this.size -= this.projects.get(projectId)?.rows.size ?? 0;
    this.projects.delete(projectId);
  }

  private rowsOf(projectId: string, day: string): Map<string, TodayActivity> {
    const memo = this.projects.get(projectId);
    if (memo?.day === day) return memo.rows;
    this.forget(projectId);
    const rows = new Map<string, TodayActivity>();
    this.projects.set(projectId, { day, rows });
    return rows;
  }

  private set(rows: Map<string, TodayActivity>, id: string, today: TodayActivity) {
    if (!rows.has(id)) {
      if (this.size >= MEMO_LIMIT) return;
      this.size += 1;
    }
    rows.set(id, today);
  }
}
