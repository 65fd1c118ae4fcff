import { AppError } from '../errors/app-error.js';

export interface HeavyWorkLimits {
  /** Heavy computations in flight at once on this process, all projects together. */
  global: number;
  /** Heavy computations in flight at once for one project. */
  perProject: number;
  /** What the 503 tells the client to wait. */
  retryAfterSeconds?: number;
}

/**
 * Bounds the work that scales with a project's size rather than with the request: scoring the
 * account list (as of any time), churn and retention metrics, engagement series, training.
 * Measured (#15): ten concurrent account lists with different `asOf` on 10,000 accounts took
 * memory from 490 MB to 1.03 GB and stalled /healthz for 1.3 s. So:
 *
 * - identical computations in flight are shared: the second caller awaits the first one's
 *   promise and takes no slot (ten dashboards opening the same list compute it once);
 * - beyond `perProject` for one project, or `global` for the process, the request answers
 *   `503 overloaded` with Retry-After instead of queueing: memory stays under
 *   `global` × one computation, and one project cannot take every slot.
 *
 * Wrap the call site, not the query: `heavyWork.run(projectId, key, () => compute())`.
 */
export class HeavyWork {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly perProject = new Map<string, number>();
  private running = 0;

  constructor(private readonly limits: HeavyWorkLimits) {}

  /** Computations running now (shared ones count once). */
  get active(): number {
    return this.running;
  }

  /**
   * Runs `compute` under the limits, or joins the identical computation already running.
   * `key` names the computation within the project: same key, same answer.
   */
  run<T>(projectId: string, key: string, compute: () => Promise<T>): Promise<T> {
    const id = `${projectId}\u0000${key}`;
    const shared = this.inFlight.get(id);
    if (shared) return shared as Promise<T>;
    const mine = this.perProject.get(projectId) ?? 0;
    if (this.running >= this.limits.global || mine >= this.limits.perProject) {
      const scope = mine >= this.limits.perProject ? 'this project' : 'this server';
      throw new AppError('overloaded', {
        message: `Too many heavy queries in flight for ${scope}; retry after the given delay`,
        retryAfterSeconds: this.limits.retryAfterSeconds ?? 2,
      });
    }
    this.running += 1;
    this.perProject.set(projectId, mine + 1);
    const promise = (async () => {
      try {
        return await compute();
      } finally {
        this.running -= 1;
        const left = (this.perProject.get(projectId) ?? 1) - 1;
        if (left > 0) this.perProject.set(projectId, left);
        else this.perProject.delete(projectId);
        this.inFlight.delete(id);
      }
    })();
    this.inFlight.set(id, promise);
    return promise;
  }
}
