import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { StorageUnavailableError } from '../db/storage-unavailable.error.js';
import { isStorageUnavailable } from '../db/storage-unavailable.js';
import { AppError, type ErrorCode } from '../errors/app-error.js';

// Errors raised by Fastify itself or by zlib, mapped onto the registry.
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  // Fastify's JSON parser: syntax errors and forbidden `__proto__`/`constructor` keys.
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_BAD_URL: 'invalid_url',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
  Z_DATA_ERROR: 'invalid_gzip',
  Z_BUF_ERROR: 'invalid_gzip',
};

function toAppError(error: FastifyError | AppError | StorageUnavailableError): AppError {
  if (error instanceof AppError) return error;
  // Domain errors, thrown below the HTTP layer, get their code here.
  if (error instanceof StorageUnavailableError) {
    return new AppError('storage_unavailable', { cause: error.cause });
  }
  // A lost database, wherever it surfaced (a key lookup, a query): 503, not 500.
  if (isStorageUnavailable(error)) return new AppError('storage_unavailable', { cause: error });
  const mapped = FRAMEWORK_CODES[error.code];
  if (mapped) return new AppError(mapped);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return new AppError('invalid_request', { message: error.message });
  return new AppError('internal', { cause: error });
}

function errorBody(error: AppError) {
  const details = error.details === undefined ? {} : { details: error.details };
  return { error: { code: error.code, message: error.message, ...details } };
}

/** Longest path parameter (an id, percent-encoded): ids are up to 255 characters. */
export const MAX_PARAM_LENGTH = 2048;

/**
 * Fastify's router answers a bad percent-encoding or an over-long path parameter before any
 * hook runs; this gives those answers the same body as every other error.
 */
export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  const appError = toAppError(error);
  void reply.status(appError.status).send(errorBody(appError));
}

/**
 * Errors of the HTTP parser itself (headers too large, a request that never completes): the
 * socket gets a JSON answer in the same shape, then closes.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const code: ErrorCode =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'headers_too_large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request_timeout'
        : 'invalid_request';
  const appError = new AppError(code);
  const body = JSON.stringify(errorBody(appError));
  socket.end(
    `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Shapes every error as `{ error: { code, message, details } }`; a 500 is logged, never leaked. */
export const errorHandler = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((raw: FastifyError | AppError | StorageUnavailableError, request, reply) => {
    const error = toAppError(raw);
    const cause = error.cause ?? raw;
    if (error.code === 'storage_unavailable' && isStorageUnavailable(cause)) {
      // One log line per outage, not one per request (StorageHealth).
      app.services.storage.reportFailure(cause);
    } else if (
      error.status >= 500 &&
      error.code !== 'overloaded' &&
      error.code !== 'shutting_down'
    ) {
      request.log.error({ err: raw }, error.message);
    }
    if (error.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    return reply.status(error.status).send(errorBody(error));
  });

  // Every route's path as a pattern, with its method: a path that exists for other methods
  // answers 405 with `Allow`, not 404 (`PUT /v1/batch` is a wrong method, not a wrong URL).
  const routes: { method: string; path: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return;
    const path = new RegExp(`^${route.url.split('/').map(segmentPattern).join('/')}/?$`);
    for (const method of [route.method].flat()) routes.push({ method, path });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allowed = [
      ...new Set(routes.filter((route) => route.path.test(path)).map((route) => route.method)),
    ];
    if (allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      const error = new AppError('method_not_allowed', {
        message: `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`,
      });
      return reply.status(error.status).send(errorBody(error));
    }
    const error = new AppError('not_found', { message: `No route ${request.method} ${path}` });
    return reply.status(error.status).send(errorBody(error));
  });
});

/** A route segment as a pattern: `:id` matches any one segment, the rest only itself. */
function segmentPattern(segment: string): string {
  return segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
