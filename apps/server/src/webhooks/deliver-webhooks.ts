import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sql } from 'kysely';
import type { AlertPayload } from '../alerts/alert-payload.js';
import { slackMessage } from '../alerts/alert-payload.js';
import type { Db } from '../db/database.types.js';
import { signatureHeader } from './webhook-signature.js';
import { addressRefusal, type PrivateNetworks, publicOnlyLookup } from './webhook-targets.js';

export interface DeliveryOptions {
  /** Deliveries claimed per round. */
  batchSize?: number;
  /** Delay before the second attempt; doubles with every attempt, ±20% jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many failed attempts a delivery is marked failed. */
  maxAttempts?: number;
  timeoutMs?: number;
  /** How long a worker holds a claimed delivery; a crashed worker's claims expire after it. */
  leaseMs?: number;
  /** Whether receivers may be on loopback, private or link-local addresses (webhook-targets.ts). */
  privateNetworks?: PrivateNetworks;
}

export const DELIVERY_DEFAULTS: Required<DeliveryOptions> = {
  batchSize: 20,
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 8,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  privateNetworks: 'deny',
};

interface Claimed {
  project_id: string;
  id: string;
  webhook_id: string;
  kind: string;
  payload: AlertPayload;
  attempts: number;
  url: string | null;
  secret: string | null;
  format: 'json' | 'slack' | null;
}

export interface DeliveryRound {
  delivered: number;
  retrying: number;
  failed: number;
}

/** The delay before attempt `attempts + 1`: exponential, capped, with ±20% jitter. */
export function retryDelayMs(attempts: number, options: Required<DeliveryOptions>): number {
  const delay = Math.min(options.baseDelayMs * 2 ** (attempts - 1), options.maxDelayMs);
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}

/**
 * Claims a project's due deliveries: a short statement that leases them (`FOR UPDATE SKIP
 * LOCKED`), so two workers — in one process or many — never hold the same delivery, and no
 * lock is held while a receiver answers. One project per statement: on Citus a row-locking
 * statement must go to one node (docs/operations.md).
 */
async function claimDue(
  db: Db,
  projectId: string,
  options: Required<DeliveryOptions>,
  dueBy: Date,
): Promise<Claimed[]> {
  const result = await sql<Claimed>`
    with due as (
      select project_id, id, webhook_id from webhook_deliveries
      where project_id = ${projectId} and status = 'pending'
        and next_attempt_at <= ${dueBy.toISOString()}::timestamptz
        and (lease_until is null or lease_until <= now())
      order by next_attempt_at
      limit ${options.batchSize}
      for update skip locked
    )
    update webhook_deliveries d
    set lease_until = now() + ${`${options.leaseMs} milliseconds`}::interval,
      attempts = d.attempts + 1
    from due
    left join webhooks w on w.project_id = ${projectId} and w.id = due.webhook_id
      and w.deleted_at is null
    where d.project_id = ${projectId} and d.id = due.id
    returning d.project_id, d.id, d.webhook_id, d.kind, d.payload, d.attempts, w.url, w.secret, w.format
  `.execute(db);
  return result.rows;
}

export interface SendOutcome {
  status: number | null;
  error: string | null;
  ms: number;
}

/**
 * POSTs one signed notification; resolves with the HTTP status, or the network error. Used by
 * deliveries and by a webhook's test. `node:http` rather than `fetch`, whose connections
 * cannot be given a lookup: a refused target must be refused by the lookup of the connection
 * itself.
 */
export async function sendSigned(
  target: { url: string; secret: string },
  notification: { id: string; kind: string; body: string },
  options: Pick<Required<DeliveryOptions>, 'timeoutMs' | 'privateNetworks'>,
): Promise<SendOutcome> {
  const url = new URL(target.url);
  const started = performance.now();
  const refused = options.privateNetworks === 'deny' ? addressRefusal(url) : null;
  if (refused) return { status: null, error: refused, ms: 0 };
  const { body } = notification;
  try {
    const status = await post(url, body, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Tenure-Webhooks/1',
        'tenure-webhook-id': notification.id,
        'tenure-event': notification.kind,
        'tenure-signature': signatureHeader(target.secret, body, Math.floor(Date.now() / 1000)),
      },
      timeoutMs: options.timeoutMs,
      publicOnly: options.privateNetworks === 'deny',
    });
    return { status, error: null, ms: performance.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: null, error: message, ms: performance.now() - started };
  }
}

/** Why a send did not deliver (any 2xx delivers), or null. */
export function failureOf(outcome: SendOutcome): string | null {
  if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) return null;
  return outcome.error ?? `HTTP ${outcome.status}`;
}

/** The status of a POST; the answer's body is discarded and redirects are not followed. */
function post(
  url: URL,
  body: string,
  options: { headers: Record<string, string>; timeoutMs: number; publicOnly: boolean },
): Promise<number> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.publicOnly ? { lookup: publicOnlyLookup } : {}),
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    )
      .on('error', reject)
      .end(body);
  });
}

async function record(
  db: Db,
  delivery: Claimed,
  outcome: SendOutcome,
  options: Required<DeliveryOptions>,
) {
  const error = failureOf(outcome);
  const ok = error === null;
  const gaveUp = !ok && delivery.attempts >= options.maxAttempts;
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('webhook_attempts')
      .values({
        project_id: delivery.project_id,
        delivery_id: delivery.id,
        attempt: delivery.attempts,
        attempted_at: new Date(),
        status_code: outcome.status,
        error,
        duration_ms: Math.round(outcome.ms),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tx
      .updateTable('webhook_deliveries')
      .set({
        status: ok ? 'delivered' : gaveUp ? 'failed' : 'pending',
        delivered_at: ok ? new Date() : null,
        last_error: error,
        lease_until: null,
        next_attempt_at: new Date(
          Date.now() + (ok || gaveUp ? 0 : retryDelayMs(delivery.attempts, options)),
        ),
      })
      .where('project_id', '=', delivery.project_id)
      .where('id', '=', delivery.id)
      .execute();
  });
  return ok ? 'delivered' : gaveUp ? 'failed' : 'retrying';
}

/**
 * Sends every due delivery once, project by project: claims a batch, POSTs each (signed, with
 * a timeout), records the attempt and either marks it delivered, schedules a retry with
 * backoff, or marks it failed after `maxAttempts`. Deliveries of deleted webhooks are
 * cancelled.
 */
export async function deliverDue(db: Db, overrides: DeliveryOptions = {}): Promise<DeliveryRound> {
  const options = { ...DELIVERY_DEFAULTS, ...overrides };
  const round: DeliveryRound = { delivered: 0, retrying: 0, failed: 0 };
  // Only what was due when the round began: a retry scheduled during the round waits.
  const dueBy = new Date();
  const projects = await db.selectFrom('projects').select('id').orderBy('id').execute();
  for (const { id } of projects) await deliverProject(db, id, options, dueBy, round);
  return round;
}

async function deliverProject(
  db: Db,
  projectId: string,
  options: Required<DeliveryOptions>,
  dueBy: Date,
  round: DeliveryRound,
) {
  for (;;) {
    const claimed = await claimDue(db, projectId, options, dueBy);
    if (claimed.length === 0) return;
    await Promise.all(
      claimed.map(async (delivery) => {
        if (!delivery.url) {
          await db
            .updateTable('webhook_deliveries')
            .set({ status: 'cancelled', lease_until: null })
            .where('project_id', '=', delivery.project_id)
            .where('id', '=', delivery.id)
            .execute();
          return;
        }
        const body = JSON.stringify(
          delivery.format === 'slack' ? slackMessage(delivery.payload) : delivery.payload,
        );
        const outcome = await sendSigned(
          { url: delivery.url, secret: delivery.secret! },
          { id: delivery.id, kind: delivery.kind, body },
          options,
        );
        round[await record(db, delivery, outcome, options)] += 1;
      }),
    );
  }
}
