import { z } from 'zod';

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** Every setting Tenure reads from the environment, validated at start. */
export const configSchema = z
  .object({
    PORT: int(8080, 0, 65_535),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** Postgres 14+. When unset, Tenure runs on the embedded PGlite in TENURE_DATA_DIR. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATABASE_POOL_SIZE: int(10, 1, 500),
    TENURE_DATA_DIR: z.string().min(1).default('.tenure-data'),
    /** Operator token for /v1/admin; the admin API is off without it. */
    TENURE_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Most events waiting for the writer; beyond it, ingestion answers 503 + Retry-After. */
    TENURE_WRITER_QUEUE_LIMIT: int(100_000, 2_500, 10_000_000),
    /** Most events written by one flush (one statement, one commit). */
    TENURE_WRITER_FLUSH_EVENTS: int(5_000, 1, 100_000),
    /** Flushes in flight at once (PGlite always uses 1). */
    TENURE_WRITER_CONCURRENCY: int(2, 1, 64),
    /** Events per second one project may send to one process, on average; 0 turns it off. */
    TENURE_RATE_LIMIT_EVENTS_PER_SECOND: int(100_000, 0, 100_000_000),
    /** Events one project may send at once before the average applies. */
    TENURE_RATE_LIMIT_BURST: int(200_000, 1, 1_000_000_000),
    /**
     * Months (back from now) whose events get a partition of their own; older events share one
     * catch-all partition, so clients cannot make partitions without bound.
     */
    TENURE_EVENT_PARTITION_MONTHS: int(36, 1, 600),
    /** Minutes between scheduled jobs (risk snapshots, alert detection); 0 turns them off. */
    TENURE_JOBS_INTERVAL_MINUTES: int(60, 0, 10_080),
    /**
     * `deny`: webhooks may only reach public addresses, not loopback, private or link-local
     * ones (the cloud metadata service, the database). `allow` for receivers inside the network.
     */
    TENURE_WEBHOOK_PRIVATE_NETWORKS: z.enum(['deny', 'allow']).default('deny'),
    /** Most webhooks one project may have (each is a delivery per transition). */
    TENURE_WEBHOOKS_PER_PROJECT: int(25, 1, 1_000),
    /**
     * `on`: each account's current score is stored and kept current after ingest, daily and on
     * settings or model changes, and the account list reads it. `off`: nothing is stored and the
     * list scores every account on each request (the ingest benchmark's reference).
     */
    TENURE_SCORE_KEEPING: z.enum(['on', 'off']).default('on'),
    /** Accounts the score keeper scores per step (bounds its memory and each step's time). */
    TENURE_SCORE_BATCH: int(500, 10, 10_000),
    /** Milliseconds accounts with new events wait for more before a partial batch is scored. */
    TENURE_SCORE_GATHER_MS: int(1_000, 0, 60_000),
    /** While events arrive, the share of its time the score keeper may spend scoring (1: all). */
    TENURE_SCORE_BUSY_SHARE: z.coerce.number().gt(0).max(1).default(1),
    /** Hours a workspace sign-in lasts (the session cookie's Max-Age). */
    TENURE_SESSION_HOURS: int(168, 1, 8_760),
    /** Failed sign-ins allowed per email, and per client IP, within 15 minutes. */
    TENURE_SIGN_IN_FAILURES_PER_EMAIL: int(10, 1, 10_000),
    TENURE_SIGN_IN_FAILURES_PER_IP: int(50, 1, 100_000),
    /**
     * The address people open the workspace at (e.g. https://tenure.example.com) when a proxy
     * terminates TLS in front of Tenure: state-changing calls must come from this origin. Unset,
     * the origin is the request's own scheme and Host.
     */
    TENURE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Behind a reverse proxy: trust X-Forwarded-For/-Proto for the client IP and https. */
    // A boolean too: `serve` and the demo hand the parsed config back to buildApp, which parses again.
    TENURE_TRUST_PROXY: z
      .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
      .default(false),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /**
     * Most milliseconds for a whole request (headers and body) to arrive; a client that trickles
     * its body is answered 408 and disconnected. 500 KB at a slow 20 KB/s takes 25 s.
     */
    TENURE_REQUEST_TIMEOUT_MS: int(30_000, 1_000, 600_000),
    /** Most milliseconds for the request headers to arrive (slow-header clients). */
    TENURE_HEADERS_TIMEOUT_MS: int(10_000, 500, 600_000),
    /**
     * Idle milliseconds before a keep-alive connection is closed. Longer than a load balancer's
     * idle timeout (AWS ALB: 60 s), so the balancer never reuses a socket this side just closed.
     */
    TENURE_KEEP_ALIVE_TIMEOUT_MS: int(72_000, 1_000, 600_000),
    /** Most open connections; beyond, new ones are closed at once (each holds memory and a fd). */
    TENURE_MAX_CONNECTIONS: int(4_096, 1, 1_000_000),
    /**
     * Heavy queries (account list, churn/retention/engagement metrics, training) in flight on one
     * process; beyond, 503 overloaded. Each holds up to ~55 MB on 10,000 accounts (#15 figures).
     */
    TENURE_HEAVY_QUERIES: int(4, 1, 256),
    /** Heavy queries in flight for one project, so one project cannot take every slot. */
    TENURE_HEAVY_QUERIES_PER_PROJECT: int(2, 1, 256),
  })
  // Node refuses headers that may take longer than the whole request; say so at start.
  .refine((config) => config.TENURE_HEADERS_TIMEOUT_MS <= config.TENURE_REQUEST_TIMEOUT_MS, {
    path: ['TENURE_HEADERS_TIMEOUT_MS'],
    message: 'must not exceed TENURE_REQUEST_TIMEOUT_MS',
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration, throwing one error that lists every invalid variable.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
