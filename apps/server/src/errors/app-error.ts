import type { ErrorCode } from '@tenure/schema';

export type { ErrorCode };

/**
 * The error registry: every error a client can see, with an HTTP status and a message, keyed by
 * the stable codes of the contract (`ERROR_CODES` in @tenure/schema; `satisfies` below makes a
 * code missing here, or one here the contract lacks, a compile error). Handlers throw
 * `AppError`; one error handler shapes the body as `{ error: { code, message, details } }`.
 * Its home is errors/, not http/: every context throws it (auth, ingest, risk), and http/
 * imports auth/ for defineRoute, so living in http/ made http/ and auth/ import each other.
 */
export const ERRORS = {
  malformed_json: { status: 400, message: 'The request body is not valid JSON' },
  invalid_request: { status: 400, message: 'The request is invalid' },
  invalid_batch: { status: 400, message: 'The body must be an object with a "batch" array' },
  missing_write_key: {
    status: 401,
    message: 'A write key is required: HTTP Basic auth with the key as user name, or "writeKey"',
  },
  invalid_write_key: { status: 401, message: 'The write key is not valid' },
  missing_secret_key: {
    status: 401,
    message: 'A secret key is required: Authorization: Bearer <secretKey>',
  },
  invalid_secret_key: { status: 401, message: 'The secret key is not valid' },
  write_key_on_query_endpoint: {
    status: 401,
    message:
      'This is a write key; query endpoints take the secret key (Authorization: Bearer ts_...)',
  },
  invalid_event: { status: 400, message: 'The message is invalid' },
  invalid_gzip: { status: 400, message: 'The gzip request body is corrupt' },
  invalid_encoding: { status: 400, message: 'The request body is not valid UTF-8' },
  origin_not_allowed: {
    status: 403,
    message: "This origin is not in the project's allowed origins",
  },
  forbidden_for_public_key: {
    status: 403,
    message: 'Revenue facts need a server-side key (the secret key), not a public write key',
  },
  invalid_admin_token: { status: 401, message: 'The admin token is not valid' },
  admin_disabled: { status: 403, message: 'The admin API is off: set TENURE_ADMIN_TOKEN' },
  webhook_target_not_public: {
    status: 400,
    message: 'The webhook URL leads to an address that is not public',
  },
  too_many_webhooks: {
    status: 409,
    message: 'The project has the most webhooks allowed; delete one first',
  },
  invalid_url: { status: 400, message: 'The URL is not valid (bad percent-encoding)' },
  invalid_stripe_signature: {
    status: 400,
    message: 'The Stripe-Signature header does not match the body and the endpoint secret',
  },
  stripe_not_configured: {
    status: 400,
    message: 'The project has no Stripe endpoint secret: PUT /v1/integrations/stripe sets it',
  },
  not_found: { status: 404, message: 'Not found' },
  request_timeout: { status: 408, message: 'The request took too long to arrive' },
  insufficient_history: {
    status: 422,
    message: 'Not enough labelled history (churned and retained accounts) to train a churn model',
  },
  as_of_in_future: {
    status: 400,
    message: 'asOf is in the future: a model can only learn from and be checked against the past',
  },
  no_data_before_as_of: { status: 422, message: 'The project has no data before asOf' },
  horizon_beyond_data: {
    status: 422,
    message: "asOf plus the horizon is later than the project's data: the outcome is not known yet",
  },
  model_job_running: {
    status: 409,
    message: 'A training or backtest run is already running for this project',
  },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  payload_too_large: { status: 413, message: 'The request body is larger than 500 KB' },
  uri_too_long: { status: 414, message: 'A path segment is longer than 2,048 characters' },
  batch_too_large: { status: 413, message: 'A batch holds at most 2,500 events' },
  unsupported_media_type: { status: 415, message: 'Send application/json' },
  unsupported_encoding: { status: 415, message: 'Content-Encoding must be gzip or identity' },
  rate_limited: {
    status: 429,
    message: "The project's ingestion rate limit is reached; retry after the given delay",
  },
  headers_too_large: { status: 431, message: 'The request headers are too large' },
  overloaded: { status: 503, message: 'The writer queue is full; retry after the given delay' },
  storage_unavailable: { status: 503, message: 'The database is unavailable; retry later' },
  shutting_down: { status: 503, message: 'The server is shutting down; retry later' },
  internal: { status: 500, message: 'Internal error' },
  // The web workspace: people, sessions, roles (docs/workspace.md).
  invalid_credentials: { status: 401, message: 'The email or password is not right' },
  not_signed_in: { status: 401, message: 'Not signed in, or the session has expired' },
  missing_project: {
    status: 400,
    message: 'With a session cookie, name the project in the X-Tenure-Project header',
  },
  forbidden: { status: 403, message: 'You are not a member of this project' },
  forbidden_for_role: {
    status: 403,
    message: 'Your role in this project is viewer: ask an admin of the project to make changes',
  },
  csrf_failed: {
    status: 403,
    message: 'Cross-site request refused: send X-CSRF-Token from the session, from this origin',
  },
  sign_in_rate_limited: {
    status: 429,
    message: 'Too many failed sign-ins; retry after the given delay',
  },
  email_taken: { status: 409, message: 'A user with this email already exists' },
} as const satisfies Record<ErrorCode, { status: number; message: string }>;

/** Seconds a client should wait, for the codes that answer with `Retry-After`. */
export const RETRY_AFTER: Partial<Record<ErrorCode, number>> = {
  rate_limited: 1,
  sign_in_rate_limited: 60,
  overloaded: 1,
  storage_unavailable: 5,
  shutting_down: 2,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  /** Overrides the code's `Retry-After` when the wait is known (e.g. a rate limit's refill). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    options: {
      message?: string;
      details?: unknown;
      cause?: unknown;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(options.message ?? ERRORS[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds ?? RETRY_AFTER[code];
  }
}
