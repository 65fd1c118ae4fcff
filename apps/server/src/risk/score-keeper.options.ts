/** How the score keeper (score-keeper.ts) works: the server's configuration sets these. */
export interface ScoreKeeperOptions {
  /** Off: nothing is queued or re-scored (the list then answers from whatever is stored). */
  enabled: boolean;
  /** Accounts scored per statement: bounds the memory and the time of one step. */
  batchSize: number;
  /**
   * How long accounts with new events may wait for more before a batch smaller than
   * `batchSize` is scored: an account sending a burst is scored once for all of it, and the
   * fixed cost of a step (settings, model, the store's transaction) is paid for many accounts.
   * A list request waiting for its own writes, `settle` and a full batch do not wait.
   */
  gatherMs: number;
  /**
   * While events are arriving, the share of its time the keeper may spend scoring (1: no
   * limit): after a step of t ms it rests t × (1 − share) / share. Ingest and the keeper
   * share the database's cores, and a steady stream of events for many distinct accounts asks
   * for more scoring than ingesting; this keeps the ingest rate and lets scores lag instead
   * (the list says how many accounts are `pending`). A list request waiting for its own writes
   * and `settle` do not wait.
   */
  busyShare: number;
  /** Reports each piece of work done, for the metrics (`KeeperWork`). */
  onWork: (work: KeeperWork, accounts: number, seconds: number) => void;
  /** The clock (tests move it to let days pass). */
  now: () => Date;
  onError: (error: unknown, projectId: string) => void;
}

/**
 * What the keeper spends its time on: `check` (whether accounts with events of the day have a
 * row of the day), `leave` (accounts whose row stands: no time of their own), `refresh` (from
 * kept features), `rescore` (in full, after events) and `pass` (a full pass's batches).
 */
export type KeeperWork = 'check' | 'leave' | 'refresh' | 'rescore' | 'pass';
