import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { adminRoutes } from './admin/admin.routes.js';
import { KeyCache } from './auth/key-cache.js';
import { type Config, configSchema } from './config/config.js';
import { migrateToLatest } from './db/migrate.js';
import { type DatabaseHandle, openDatabase } from './db/open-database.js';
import { registerPlannerStatisticsJob } from './db/planner-statistics.js';
import { isStorageUnavailable } from './db/storage-unavailable.js';
import { engagementRoutes } from './engagement/engagement.routes.js';
import { exportRoutes } from './export/export.routes.js';
import {
  clientErrorHandler,
  errorHandler,
  frameworkErrors,
  MAX_PARAM_LENGTH,
} from './http/error-handler.js';
import { redactedRequest } from './http/log-redaction.js';
import { OpenApiRegistry } from './http/openapi.js';
import { decodeUtf8 } from './http/utf8-body.js';
import { BatchWriter } from './ingest/batch-writer.js';
import { ingestRoutes } from './ingest/ingest.routes.js';
import { IngestRateLimiter } from './ingest/rate-limiter.js';
import { stripeRoutes } from './integrations/stripe/stripe.routes.js';
import { Scheduler } from './jobs/scheduler.js';
import { HeavyWork } from './limits/heavy-work.js';
import { churnRoutes } from './metrics/churn.routes.js';
import { createMetrics } from './ops/metrics.js';
import { opsRoutes } from './ops/ops.routes.js';
import { StorageHealth } from './ops/storage-health.js';
import { riskRoutes } from './risk/risk.routes.js';
import { ScoreKeeper } from './risk/score-keeper.js';
import type { Services } from './services.js';
import { allowedOriginsRoutes } from './settings/routes/allowed-origins.route.js';
import { webAppRoutes } from './web/web-app.routes.js';
import { defaultWebAppDir } from './web/web-app-dir.js';
import { webhooksRoutes } from './webhooks/webhooks.routes.js';
import { workspaceRoutes } from './workspace/workspace.routes.js';

export const VERSION = '0.1.0';

export interface BuildAppOptions {
  /** Settings over the defaults; the environment is not read here (see `loadConfig`). */
  config?: Partial<Record<keyof Config, unknown>>;
  /** An open database to use instead of opening one from the config; the caller closes it. */
  database?: DatabaseHandle;
  /** The built web app to serve at `/`; apps/web/dist by default. */
  webAppDir?: string;
  /** Fastify logger options; off by default. */
  logger?: boolean | Record<string, unknown>;
  /** The clock of the score keeper and the current list (tests let days pass with it). */
  now?: () => Date;
}

/**
 * Builds the Tenure server: opens (or takes) the database, runs migrations and registers every
 * context. Closing the app flushes the writer, then closes the database it opened.
 *
 * @example
 * const app = await buildApp({ config: { DATABASE_URL: process.env.DATABASE_URL } });
 * await app.listen({ port: 8080 });
 */
export async function buildApp(options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const config = configSchema.parse(options.config ?? {});
  const database =
    options.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.TENURE_DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
    }));
  const migration = await migrateToLatest(database.db);
  if (migration.error) {
    if (!options.database) await database.close();
    throw new Error('Database migration failed', { cause: migration.error });
  }

  const writer = new BatchWriter(database.db, {
    queueLimit: config.TENURE_WRITER_QUEUE_LIMIT,
    flushEvents: config.TENURE_WRITER_FLUSH_EVENTS,
    // PGlite has a single connection: parallel flushes would only queue behind each other.
    concurrency: database.engine === 'pglite' ? 1 : config.TENURE_WRITER_CONCURRENCY,
    partitionWindowMonths: config.TENURE_EVENT_PARTITION_MONTHS,
    onCommit: (events) => scores.noteCommitted(events),
    onFlush: ({ events, seconds, ok }) => {
      metrics.flushSeconds.observe({ outcome: ok ? 'ok' : 'error' }, seconds);
      metrics.flushEvents.observe(events);
    },
  });
  const scores = new ScoreKeeper(database.db, {
    enabled: config.TENURE_SCORE_KEEPING === 'on',
    batchSize: config.TENURE_SCORE_BATCH,
    gatherMs: config.TENURE_SCORE_GATHER_MS,
    busyShare: config.TENURE_SCORE_BUSY_SHARE,
    now: options.now ?? (() => new Date()),
    onWork: (work, accounts, seconds) => {
      metrics.keeperAccounts.inc({ work }, accounts);
      metrics.keeperSeconds.inc({ work }, seconds);
    },
    // Like the jobs: a lost database is reported once per outage, not once per step.
    onError: (error, projectId) => {
      if (isStorageUnavailable(error)) services.storage.reportFailure(error);
      else app.log.error({ err: error, projectId }, 'keeping current scores failed');
    },
  });
  const metrics = createMetrics(
    () => writer.depth,
    () => scores.queuedAccounts,
  );
  const services: Services = {
    config,
    db: database.db,
    engine: database.engine,
    writer,
    rateLimiter: new IngestRateLimiter({
      eventsPerSecond: config.TENURE_RATE_LIMIT_EVENTS_PER_SECOND,
      burst: config.TENURE_RATE_LIMIT_BURST,
    }),
    keys: new KeyCache(database.db),
    metrics,
    heavyWork: new HeavyWork({
      global: config.TENURE_HEAVY_QUERIES,
      perProject: config.TENURE_HEAVY_QUERIES_PER_PROJECT,
    }),
    storage: new StorageHealth(database.db, () => app.log),
    openapi: new OpenApiRegistry(),
    scheduler: new Scheduler((job, error) => {
      if (isStorageUnavailable(error)) services.storage.reportFailure(error);
      else app.log.error({ err: error, job }, 'job failed');
    }),
    scores,
    version: VERSION,
  };

  const logger = options.logger ?? false;
  const app = Fastify({
    // Keys sent in a query string must not reach the logs (headers are not logged at all).
    logger:
      logger === false
        ? false
        : {
            ...(logger === true ? {} : logger),
            serializers: { req: redactedRequest },
          },
    // A client must send its whole request in time: without these a slow body or slow headers
    // hold a socket (and its memory) forever, with no key needed.
    requestTimeout: config.TENURE_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.TENURE_KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout: config.TENURE_HEADERS_TIMEOUT_MS,
      // Node checks those timeouts every 30 s by default, so a cut-off could come 30 s late.
      connectionsCheckingInterval: Math.min(1_000, config.TENURE_HEADERS_TIMEOUT_MS),
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreTrailingSlash: true },
    frameworkErrors,
    clientErrorHandler,
    // Behind a proxy: the client IP (sign-in limits) and https (Secure cookies) from X-Forwarded-*.
    trustProxy: config.TENURE_TRUST_PROXY,
  });
  app.decorate('services', services);
  app.server.maxConnections = config.TENURE_MAX_CONNECTIONS;
  await app.register(errorHandler);
  // Many HTTP clients send `content-type: application/json` on every request, a DELETE or a GET
  // without a body included: an empty body is no body, not malformed JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = decodeUtf8(body as Buffer);
    } catch (error) {
      return done(error as Error, undefined);
    }
    return text === '' ? done(null, undefined) : parseJson(request, text, done);
  });
  // Write keys are public and ingestion is meant for browsers: any origin may send; a project
  // can narrow that with its allowed origins (checked after the key identifies the project).
  await app.register(cors, {
    origin: true,
    maxAge: 86_400,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    // The browser SDK reads Retry-After on 429 and 503 to pace its retries.
    exposedHeaders: ['Retry-After'],
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: reply.statusCode });
  });
  app.addHook('onReady', async () => {
    if (config.TENURE_JOBS_INTERVAL_MINUTES > 0) services.scheduler.start();
  });
  app.addHook('onClose', async () => {
    await services.scheduler.stop();
    services.storage.stop();
    await writer.close();
    // After the writer: its last flushes may still queue accounts (left to the next pass).
    await scores.stop();
    if (!options.database) await database.close();
  });

  await app.register(opsRoutes);
  await app.register(ingestRoutes);
  await app.register(adminRoutes);
  await app.register(riskRoutes);
  await app.register(allowedOriginsRoutes);
  await app.register(engagementRoutes);
  await app.register(churnRoutes);
  await app.register(exportRoutes);
  await app.register(webhooksRoutes);
  await app.register(stripeRoutes);
  await app.register(workspaceRoutes);
  await app.register(webAppRoutes, { dir: options.webAppDir ?? defaultWebAppDir() });
  registerPlannerStatisticsJob(app);
  return app;
}
