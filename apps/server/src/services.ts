import type { KeyCache } from './auth/key-cache.js';
import type { Config } from './config/config.js';
import type { Db } from './db/database.types.js';
import type { Engine } from './db/open-database.js';
import type { OpenApiRegistry } from './http/openapi.js';
import type { BatchWriter } from './ingest/batch-writer.js';
import type { IngestRateLimiter } from './ingest/rate-limiter.js';
import type { Scheduler } from './jobs/scheduler.js';
import type { HeavyWork } from './limits/heavy-work.js';
import type { Metrics } from './ops/metrics.js';
import type { StorageHealth } from './ops/storage-health.js';
import type { ScoreKeeper } from './risk/score-keeper.js';

/** Shared infrastructure, decorated onto the Fastify instance as `app.services`. */
export interface Services {
  config: Config;
  db: Db;
  engine: Engine;
  writer: BatchWriter;
  rateLimiter: IngestRateLimiter;
  keys: KeyCache;
  metrics: Metrics;
  /** Limits and sharing for heavy queries: wrap their call sites in `heavyWork.run`. */
  heavyWork: HeavyWork;
  /** Database outages: logged once each, probed until the database answers again. */
  storage: StorageHealth;
  openapi: OpenApiRegistry;
  /** Periodic jobs; started when the server listens (`app.ready()`), stopped on close. */
  scheduler: Scheduler;
  /** Keeps each account's current score stored (risk/score-keeper.ts). */
  scores: ScoreKeeper;
  version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
