import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '../db/database.types.js';
import type { CommittedEvent } from '../ingest/batch-writer.js';
import { utcDay } from '../time/utc-day.js';
import { analyzeStoredScores } from './current-scores.sql.js';
import { readScoresState, recordPassDone, recordPassProgress } from './current-scores-state.sql.js';
import { needOf } from './event-needs.js';
import { RowKeeping } from './row-keeping.js';
import type { ScoreKeeperOptions } from './score-keeper.options.js';
import { NeedQueue } from './score-queues.js';
import { scoringBasis } from './scoring-basis.js';

/** Events committed within this long mean ingest is under way (for `busyShare`). */
const BUSY_WINDOW_MS = 1_000;
/**
 * Accounts with new events taken per step, in `batchSize`s: most events of a busy day change no
 * kept row, and checking thousands at once costs a look in memory (or one key read) where
 * scoring batches of the few that change pays a step's fixed cost (settings, model, the
 * store's transaction) once.
 */
const TAKEN_PER_STEP = 8;
/** Someone else's pass that has reported within this long is left to finish. */
const PASS_OWNER_SILENT_MS = 120_000;

interface Pass {
  basis: string;
  day: string;
  ids: string[];
  done: number;
}

interface Waiter {
  projectId: string;
  /** The accounts queued when the waiter came: later arrivals are not waited for. */
  accounts: Set<string>;
  resolve: () => void;
}

/**
 * Keeps `account_scores` current, off the ingest acknowledgement path:
 * - the writer reports each committed flush's events (`noteCommitted`, which only queues their
 *   accounts with what the events may change); a background loop takes them in batches of
 *   `batchSize`, events first, and re-scores those whose kept row the events change
 *   (event-needs.ts): late data and identities in full, terms and tickets of the row's day from
 *   its kept features with those read anew; events that only add to the day's counters change
 *   no row of the day (the list reads what they say of today: list-today.ts);
 * - a full pass (`requestPass`) re-scores every account of a project in batches, with its
 *   progress recorded, when the day changes (day-based factors move with time alone) or the
 *   settings or model change; the list answers from the previous rows meanwhile, marked stale.
 * Rows are written through row-keeping.ts and rescore-accounts.ts, which score with the
 * functions of every other risk answer (score-accounts.ts). One step runs at a time in a
 * process, and the event loop is yielded between steps.
 */
export class ScoreKeeper {
  private readonly touched = new NeedQueue();
  private readonly inFlight = new Map<string, Set<string>>();
  private readonly passRequests = new Set<string>();
  private readonly passes = new Map<string, Pass>();
  private readonly rows: RowKeeping;
  private waiters: Waiter[] = [];
  /** When the oldest account of `touched` was queued (null when it is empty). */
  private touchedSince: number | null = null;
  /** When the writer last reported a commit, and until when the keeper rests. */
  private lastCommitAt = 0;
  private restUntil = 0;
  private idleWaiters: Array<() => void> = [];
  private work: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private paused = false;

  constructor(
    private readonly db: Db,
    private readonly options: ScoreKeeperOptions,
  ) {
    this.rows = new RowKeeping(db, options);
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  now(): Date {
    return this.options.now();
  }

  /** The writer's hook: queues the accounts of a committed flush (never waits). */
  noteCommitted(events: CommittedEvent[]): void {
    if (!this.options.enabled || this.stopped || events.length === 0) return;
    this.lastCommitAt = Date.now();
    this.touchedSince ??= this.lastCommitAt;
    const today = utcDay(this.now());
    for (const event of events) {
      this.touched.add(event.projectId, event.accountId, needOf(event, today));
    }
    this.schedule(this.readyInMs());
  }

  /** Re-scores every account of the project in the background (restarting a pass under way). */
  requestPass(projectId: string): void {
    if (!this.options.enabled || this.stopped) return;
    this.passRequests.add(projectId);
    this.schedule(0);
  }

  /** Accounts of the project queued or being re-scored after their events. */
  pendingAccounts(projectId: string): number {
    return this.touched.count(projectId) + (this.inFlight.get(projectId)?.size ?? 0);
  }

  /** Accounts of every project queued after their events (the metrics' gauge). */
  get queuedAccounts(): number {
    return this.touched.total();
  }

  /** Progress of this process's pass over the project, if one is requested or under way. */
  passProgress(projectId: string): { done: number; total: number } | null {
    const pass = this.passes.get(projectId);
    if (pass) return { done: pass.done, total: pass.ids.length };
    return this.passRequests.has(projectId) ? { done: 0, total: 0 } : null;
  }

  /**
   * Resolves once the project's queued accounts are scored, or after `timeoutMs`: a list
   * request waits for this when the queue is short, so a client reads its own writes.
   */
  caughtUp(projectId: string, timeoutMs: number): Promise<void> {
    const accounts = new Set([
      ...this.touched.accounts(projectId),
      ...(this.inFlight.get(projectId) ?? []),
    ]);
    if (accounts.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.waiters.push({
        projectId,
        accounts,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      this.schedule(0);
    });
  }

  /** Whether any of the waiter's accounts is still queued or being scored. */
  private isWaiting({ projectId, accounts }: Waiter): boolean {
    const flying = this.inFlight.get(projectId);
    for (const id of accounts) {
      if (this.touched.needOf(projectId, id) !== undefined || flying?.has(id)) return true;
    }
    return false;
  }

  /** Resolves when nothing is queued or under way (tests; `tenure` commands before exit). */
  settle(): Promise<void> {
    if (!this.work && !this.timer && !this.hasWork()) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.schedule(0);
    });
  }

  /**
   * Starts a pass for every project whose stored scores are from an earlier day, or from other
   * settings or another model, unless a pass for today's basis is already under way (here, or
   * in another process that reported lately). Run at start and periodically.
   */
  async checkProjects(): Promise<void> {
    if (!this.options.enabled) return;
    const projects = await this.db.selectFrom('projects').select('id').execute();
    for (const { id } of projects) await this.checkProject(id);
  }

  /** `checkProjects` for one project (the list calls it when it finds the scores stale). */
  async checkProject(projectId: string): Promise<void> {
    if (!this.options.enabled) return;
    try {
      if (await this.isBehind(projectId)) this.requestPass(projectId);
    } catch (error) {
      this.options.onError(error, projectId);
    }
  }

  /**
   * Holds re-scoring after the step under way (work keeps being queued) until `resume`: for
   * maintenance, and for tests that look at the list while a pass is due.
   */
  async pause(): Promise<void> {
    this.paused = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.work;
  }

  resume(): void {
    this.paused = false;
    if (this.hasWork()) this.schedule(0);
  }

  /** Stops taking work and waits for the step under way; what is queued is left to the next pass. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.work;
    this.releaseAll();
  }

  private async isBehind(projectId: string): Promise<boolean> {
    const now = this.now();
    const [state, basis] = await Promise.all([
      readScoresState(this.db, projectId),
      scoringBasis(this.db, projectId, now),
    ]);
    const day = utcDay(now);
    if (state.basis === basis && state.scoredDay === day) return false;
    const mine = this.passes.get(projectId);
    if (mine && mine.basis === basis && mine.day === day) return false;
    if (this.passRequests.has(projectId)) return false;
    const theirs = await this.db
      .selectFrom('account_scores_state')
      .select('updated_at')
      .where('project_id', '=', projectId)
      .where('pass_basis', '=', basis)
      .where('pass_day', '=', day)
      .executeTakeFirst();
    return !(
      theirs && now.getTime() - new Date(theirs.updated_at).getTime() < PASS_OWNER_SILENT_MS
    );
  }

  private hasWork(): boolean {
    return this.touched.size > 0 || this.passRequests.size > 0 || this.passes.size > 0;
  }

  /** How long the next step should wait for more accounts (0: run it now). */
  private readyInMs(): number {
    if (this.waiters.length > 0 || this.idleWaiters.length > 0) return 0;
    const now = Date.now();
    const rest = Math.max(0, this.restUntil - now);
    if (this.passRequests.size > 0 || this.passes.size > 0) return rest;
    const first = this.touched.firstCount();
    if (first === 0 || first >= this.options.batchSize) return rest;
    const waited = now - (this.touchedSince ?? 0);
    return Math.max(rest, this.options.gatherMs - waited);
  }

  /** Rests after a step while events are arriving, for `busyShare`. */
  private restAfter(stepMs: number) {
    const { busyShare } = this.options;
    const now = Date.now();
    const busy = now - this.lastCommitAt < BUSY_WINDOW_MS;
    this.restUntil = busy && busyShare < 1 ? now + (stepMs * (1 - busyShare)) / busyShare : 0;
  }

  private schedule(delayMs: number) {
    if (this.stopped || this.paused || this.work) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.work = this.drain().finally(() => {
        this.work = null;
        if (this.hasWork() && !this.paused) this.schedule(this.readyInMs());
        else this.releaseAll();
      });
    }, delayMs);
    this.timer.unref();
  }

  private releaseAll() {
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    if (this.work || this.timer) return;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters = [];
  }

  private async drain() {
    while (!this.stopped && !this.paused && this.hasWork() && this.readyInMs() === 0) {
      const started = Date.now();
      await this.step();
      this.restAfter(Date.now() - started);
      this.waiters = this.waiters.filter((waiter) => {
        if (this.isWaiting(waiter)) return true;
        waiter.resolve();
        return false;
      });
      // Requests queued behind this step go first (PGlite runs statements on this thread).
      await yieldToEventLoop();
    }
  }

  /** One bounded piece of work: accounts with new events first, then a pass's next batch. */
  private async step() {
    const { batchSize } = this.options;
    const touched = this.touched.take(batchSize * TAKEN_PER_STEP);
    if (this.touched.size === 0) this.touchedSince = null;
    if (touched) {
      const { projectId, needs } = touched;
      return this.guarded(projectId, [...needs.keys()], () => this.rows.keep(projectId, needs));
    }
    const requested = this.passRequests.values().next();
    if (!requested.done) {
      this.passRequests.delete(requested.value);
      return this.guarded(requested.value, [], () => this.startPass(requested.value));
    }
    const next = this.passes.entries().next();
    if (next.done) return;
    const [projectId, pass] = next.value;
    await this.guarded(projectId, [], async () => {
      const ids = pass.ids.slice(pass.done, pass.done + batchSize);
      await this.rows.rescore(projectId, ids, 'pass');
      pass.done += ids.length;
      if (pass.done < pass.ids.length) {
        await recordPassProgress(this.db, projectId, { ...pass, total: pass.ids.length });
      } else {
        this.passes.delete(projectId);
        await recordPassDone(this.db, projectId, pass);
        await analyzeStoredScores(this.db);
      }
    });
  }

  /** Runs a step; a failure is reported and the step's accounts wait for the next pass. */
  private async guarded(projectId: string, ids: string[], run: () => Promise<void>) {
    let flying = this.inFlight.get(projectId);
    if (!flying) {
      flying = new Set();
      this.inFlight.set(projectId, flying);
    }
    for (const id of ids) flying.add(id);
    try {
      await run();
    } catch (error) {
      if (this.passes.has(projectId)) this.passes.delete(projectId);
      this.options.onError(error, projectId);
    } finally {
      for (const id of ids) flying.delete(id);
      if (flying.size === 0) this.inFlight.delete(projectId);
    }
  }

  private async startPass(projectId: string) {
    const now = this.now();
    const basis = await scoringBasis(this.db, projectId, now);
    const accounts = await this.db
      .selectFrom('accounts')
      .select('account_id')
      .where('project_id', '=', projectId)
      .orderBy('account_id')
      .execute();
    const pass = { basis, day: utcDay(now), ids: accounts.map((a) => a.account_id), done: 0 };
    this.passes.set(projectId, pass);
    await recordPassProgress(this.db, projectId, { ...pass, total: pass.ids.length });
  }
}
