import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The Prometheus metrics of one server instance (its own registry, so tests can run many). */
export function createMetrics(queueDepth: () => number, keeperQueue: () => number) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tenure_' });
  return {
    registry,
    requests: new Counter({
      name: 'tenure_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    eventsAccepted: new Counter({
      name: 'tenure_events_accepted_total',
      help: 'Events newly committed',
      registers: [registry],
    }),
    eventsDuplicate: new Counter({
      name: 'tenure_events_duplicate_total',
      help: 'Events already stored (same messageId), not written again',
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'tenure_events_rejected_total',
      help: 'Events refused by validation, by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    writerQueueDepth: new Gauge({
      name: 'tenure_writer_queue_depth',
      help: 'Events waiting for or in a flush',
      registers: [registry],
      collect() {
        this.set(queueDepth());
      },
    }),
    flushSeconds: new Histogram({
      name: 'tenure_writer_flush_seconds',
      help: 'Time to write and commit one flush',
      labelNames: ['outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: 'tenure_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered, retrying (will be retried), failed (gave up)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    keeperSeconds: new Counter({
      name: 'tenure_score_keeper_seconds_total',
      help: 'Wall time spent by the score keeper, waits for the database included, by work: check, refresh, rescore (after events), pass (full passes)',
      labelNames: ['work'] as const,
      registers: [registry],
    }),
    keeperAccounts: new Counter({
      name: 'tenure_score_keeper_accounts_total',
      help: 'Accounts the score keeper handled, by work: check (checked for a row of the day), leave (rows left as they are), refresh, rescore, pass',
      labelNames: ['work'] as const,
      registers: [registry],
    }),
    keeperQueue: new Gauge({
      name: 'tenure_score_keeper_queue_accounts',
      help: 'Accounts with new events waiting for the score keeper',
      registers: [registry],
      collect() {
        this.set(keeperQueue());
      },
    }),
    flushEvents: new Histogram({
      name: 'tenure_writer_flush_events',
      help: 'Events per flush (group-commit size)',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
