/**
 * Runs periodic jobs (risk snapshots, model retraining, alert detection, webhook delivery) in
 * this process. A job never overlaps itself; a failure is logged and retried next tick. With
 * several server processes, jobs must be safe to run concurrently (row locks, idempotent
 * writes), because every process runs them.
 */
export interface Job {
  name: string;
  intervalMs: number;
  run: () => Promise<void>;
}

export class Scheduler {
  private readonly jobs: Job[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private started = false;

  constructor(private readonly onError: (job: string, error: unknown) => void) {}

  add(job: Job): void {
    this.jobs.push(job);
    if (this.started) this.startJob(job);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs) this.startJob(job);
  }

  /** Runs a job now (tests and `POST` endpoints use this), unless it is already running. */
  runNow(name: string): Promise<void> {
    const job = this.jobs.find((candidate) => candidate.name === name);
    if (!job) return Promise.reject(new Error(`No job ${name}`));
    const current = this.running.get(name);
    if (current) return current;
    const run = job
      .run()
      .catch((error: unknown) => this.onError(name, error))
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await Promise.all(this.running.values());
  }

  private startJob(job: Job) {
    if (job.intervalMs <= 0) return;
    const timer = setInterval(() => void this.runNow(job.name), job.intervalMs);
    timer.unref();
    this.timers.push(timer);
  }
}
