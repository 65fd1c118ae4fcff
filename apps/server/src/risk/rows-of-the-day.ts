/** Accounts remembered per process at most (a set entry and an id each: about 80 bytes). */
const MEMO_LIMIT = 500_000;

/**
 * The accounts known to have a kept row scored on the current day, as this process last read
 * or wrote them, so that the keeper checks the accounts of a day's events against memory
 * instead of reading their rows each time. A row of a day is only ever rewritten by a scoring
 * of that day or a later one, so an entry stays true until the day changes.
 */
export class RowsOfTheDay {
  private readonly projects = new Map<string, { day: string; accounts: Set<string> }>();
  private size = 0;

  /**
   * Those of the accounts without a kept row of `day`: remembered ones are skipped, the others
   * read (`scoredDays`: the day each kept row was scored on), and remembered when of `day`.
   */
  async without(
    projectId: string,
    day: string,
    accountIds: Iterable<string>,
    scoredDays: (accountIds: string[]) => Promise<Map<string, string>>,
  ): Promise<string[]> {
    const known = this.accountsOf(projectId, day);
    const unknown = [...accountIds].filter((id) => !known.has(id));
    if (unknown.length === 0) return [];
    const found = await scoredDays(unknown);
    const missing: string[] = [];
    for (const id of unknown) {
      if (found.get(id) === day) this.add(known, id);
      else missing.push(id);
    }
    return missing;
  }

  /** Remembers that the accounts' rows were scored on `day`. */
  remember(projectId: string, day: string, accountIds: Iterable<string>): void {
    const known = this.accountsOf(projectId, day);
    for (const id of accountIds) this.add(known, id);
  }

  private accountsOf(projectId: string, day: string): Set<string> {
    const memo = this.projects.get(projectId);
    if (memo?.day === day) return memo.accounts;
    this.size -= memo?.accounts.size ?? 0;
    const accounts = new Set<string>();
    this.projects.set(projectId, { day, accounts });
    return accounts;
  }

  private add(known: Set<string>, id: string) {
    if (known.has(id) || this.size >= MEMO_LIMIT) return;
    known.add(id);
    this.size += 1;
  }
}
