import { createGunzip } from 'node:zlib';
import type { FastifyRequest, RequestPayload } from 'fastify';
import { AppError } from '../errors/app-error.js';

/**
 * preParsing hook: inflates gzip request bodies. Fastify's body limit then applies to the
 * inflated bytes, so a small "zip bomb" is refused at 500 KB rather than expanded in memory.
 */
export async function gunzipBody(
  request: FastifyRequest,
  _reply: unknown,
  payload: RequestPayload,
) {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding === 'identity' || encoding === '') return payload;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') throw new AppError('unsupported_encoding');

  const gunzip = createGunzip() as ReturnType<typeof createGunzip> & {
    receivedEncodedLength: number;
  };
  // Fastify compares Content-Length against the bytes received on the wire, not inflated ones.
  gunzip.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer | string) => {
    gunzip.receivedEncodedLength += chunk.length;
  });
  payload.on('error', (error) => gunzip.destroy(error));
  return payload.pipe(gunzip);
}
