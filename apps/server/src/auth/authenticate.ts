import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import type { KeyCache, KeyOwner } from './key-cache.js';

/** The write key from HTTP Basic auth (Segment's way: key as user name) or the body. */
export function writeKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const user = decoded.split(':')[0];
    if (user) return user;
  }
  const body = request.body as { writeKey?: unknown } | undefined;
  return typeof body?.writeKey === 'string' && body.writeKey ? body.writeKey : undefined;
}

export async function authenticateWrite(
  request: FastifyRequest,
  keys: KeyCache,
): Promise<KeyOwner> {
  const key = writeKeyOf(request);
  if (!key) throw new AppError('missing_write_key');
  const owner = await keys.lookup(key, 'write');
  if (!owner) throw new AppError('invalid_write_key');
  const origin = request.headers.origin;
  if (origin && !owner.allowedOrigins.includes('*') && !owner.allowedOrigins.includes(origin)) {
    throw new AppError('origin_not_allowed');
  }
  return owner;
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.toLowerCase().startsWith('bearer ')) return undefined;
  return header.slice(7).trim() || undefined;
}

/** The project of the secret key in `Authorization: Bearer <secretKey>`. */
export async function authenticateSecret(request: FastifyRequest, keys: KeyCache): Promise<string> {
  const key = bearerOf(request);
  if (!key) throw new AppError('missing_secret_key');
  const owner = await keys.lookup(key, 'secret');
  if (!owner) throw new AppError('invalid_secret_key');
  return owner.projectId;
}

export function authenticateAdmin(request: FastifyRequest, adminToken: string | undefined): void {
  if (!adminToken) throw new AppError('admin_disabled');
  const given = Buffer.from(bearerOf(request) ?? '');
  const expected = Buffer.from(adminToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('invalid_admin_token');
  }
}
