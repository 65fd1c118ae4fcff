import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, ERRORS, type ErrorCode, RETRY_AFTER } from './app-error.js';

// Errors raised by Fastify itself or by zlib, mapped onto the registry.
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  // Fastify's JSON parser: syntax errors and forbidden `__proto__`/`constructor` keys.
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  Z_DATA_ERROR: 'invalid_gzip',
  Z_BUF_ERROR: 'invalid_gzip',
};

function toAppError(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  const mapped = FRAMEWORK_CODES[error.code];
  if (mapped) return new AppError(mapped);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return new AppError('invalid_request', { message: error.message });
  return new AppError('internal', { cause: error });
}

/** Shapes every error as `{ error: { code, message, details } }`; a 500 is logged, never leaked. */
export const errorHandler = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((raw: FastifyError | AppError, request, reply) => {
    const error = toAppError(raw);
    if (error.status >= 500 && error.code !== 'overloaded' && error.code !== 'shutting_down') {
      request.log.error({ err: raw }, error.message);
    }
    const retryAfter = RETRY_AFTER[error.code];
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    const details = error.details === undefined ? {} : { details: error.details };
    return reply
      .status(error.status)
      .send({ error: { code: error.code, message: error.message, ...details } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: 'not_found',
        message: `No route ${request.method} ${request.url.split('?')[0]}`,
      },
    }),
  );
});

export { ERRORS };
