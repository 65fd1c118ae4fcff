/**
 * Every code of an error answer, `{ "error": { "code", "message", "details"? } }`: the list is
 * the contract (the server's registry gives each an HTTP status and a default message, and
 * must cover exactly these; the SDK's `TenureError.code` is typed by them). Codes are stable:
 * one is added, never renamed or reused.
 */
export const ERROR_CODES = [
  'malformed_json',
  'invalid_request',
  'invalid_batch',
  'missing_write_key',
  'invalid_write_key',
  'missing_secret_key',
  'invalid_secret_key',
  'write_key_on_query_endpoint',
  'invalid_event',
  'invalid_gzip',
  'invalid_encoding',
  'origin_not_allowed',
  'forbidden_for_public_key',
  'invalid_admin_token',
  'admin_disabled',
  'webhook_target_not_public',
  'too_many_webhooks',
  'invalid_stripe_signature',
  'stripe_not_configured',
  'invalid_url',
  'not_found',
  'request_timeout',
  'insufficient_history',
  'as_of_in_future',
  'no_data_before_as_of',
  'horizon_beyond_data',
  'model_job_running',
  'method_not_allowed',
  'payload_too_large',
  'uri_too_long',
  'batch_too_large',
  'unsupported_media_type',
  'unsupported_encoding',
  'rate_limited',
  'headers_too_large',
  'overloaded',
  'storage_unavailable',
  'shutting_down',
  'internal',
  // The web workspace (docs/workspace.md).
  'invalid_credentials',
  'not_signed_in',
  'missing_project',
  'forbidden',
  'forbidden_for_role',
  'csrf_failed',
  'sign_in_rate_limited',
  'email_taken',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error answer. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Present for some codes: `invalid_request`'s field issues, `invalid_event`'s rejection. */
    details?: unknown;
  };
}
