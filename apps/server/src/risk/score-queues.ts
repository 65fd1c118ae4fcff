import { mergeNeeds, type Need } from './event-needs.js';

/** Accounts waiting for the score keeper, by project, each with what its events may change. */
export class NeedQueue {
  private readonly projects = new Map<string, Map<string, Need>>();

  /** Projects with accounts queued (0: the queue is empty). */
  get size(): number {
    return this.projects.size;
  }

  add(projectId: string, accountId: string, need: Need): void {
    let needs = this.projects.get(projectId);
    if (!needs) {
      needs = new Map();
      this.projects.set(projectId, needs);
    }
    const queued = needs.get(accountId);
    // A flush of history holds thousands of events per account: most add nothing.
    if (queued === need || queued === 'rescore') return;
    needs.set(accountId, queued === undefined ? need : mergeNeeds(queued, need));
  }

  /** Accounts of the project in the queue. */
  accounts(projectId: string): Iterable<string> {
    return this.projects.get(projectId)?.keys() ?? [];
  }

  /** What the account is queued for, if it is. */
  needOf(projectId: string, accountId: string): Need | undefined {
    return this.projects.get(projectId)?.get(accountId);
  }

  count(projectId: string): number {
    return this.projects.get(projectId)?.size ?? 0;
  }

  /** Accounts queued, of every project. */
  total(): number {
    let total = 0;
    for (const needs of this.projects.values()) total += needs.size;
    return total;
  }

  /** How many accounts the first project has queued (0 when the queue is empty). */
  firstCount(): number {
    const first = this.projects.values().next();
    return first.done ? 0 : first.value.size;
  }

  /** Takes up to `count` accounts of the first project, in the order they were queued. */
  take(count: number): { projectId: string; needs: Map<string, Need> } | null {
    const first = this.projects.entries().next();
    if (first.done) return null;
    const [projectId, queued] = first.value;
    const needs = new Map<string, Need>();
    for (const [accountId, need] of queued) {
      if (needs.size >= count) break;
      needs.set(accountId, need);
    }
    for (const accountId of needs.keys()) queued.delete(accountId);
    if (queued.size === 0) this.projects.delete(projectId);
    return { projectId, needs };
  }
}
