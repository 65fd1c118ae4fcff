import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import type { KeyCache, KeyOwner } from './key-cache.js';
import type { KeyScope } from './key-scope.js';

/** The project a write request is for, and what its key may say. */
export interface WriteCredential extends KeyOwner {
  scope: KeyScope;
}

/** Secret keys start with `ts_` (see api-keys.ts); write keys with `tw_`. */
const SECRET_PREFIX = 'ts_';

/**
 * The key of an ingestion request: HTTP Basic auth (Segment's way: key as user name), a
 * Bearer secret key, or `writeKey` in the body (sendBeacon cannot set headers).
 */
export function writeKeyOf(request: FastifyRequest): string | undefined {
  const bearer = bearerOf(request);
  if (bearer) return bearer;
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const user = decoded.split(':')[0];
    if (user) return user;
  }
  const body = request.body as { writeKey?: unknown } | undefined;
  return typeof body?.writeKey === 'string' && body.writeKey ? body.writeKey : undefined;
}

/**
 * Ingestion accepts two credentials. The public write key (`tw_…`, in web pages) gets the
 * `public` scope: behaviour only, and only from the project's allowed origins when a browser
 * sends it. The secret key (`ts_…`, server-side only, e.g. the Node SDK) gets the `server`
 * scope: revenue facts too. No origin check for it: a server sends no Origin, and a secret key
 * that reached a browser is leaked whatever the origin.
 */
export async function authenticateWrite(
  request: FastifyRequest,
  keys: KeyCache,
): Promise<WriteCredential> {
  const key = writeKeyOf(request);
  if (!key) throw new AppError('missing_write_key');
  if (key.startsWith(SECRET_PREFIX)) {
    const owner = await keys.lookup(key, 'secret');
    if (!owner) throw new AppError('invalid_write_key');
    return { ...owner, scope: 'server' };
  }
  const owner = await keys.lookup(key, 'write');
  if (!owner) throw new AppError('invalid_write_key');
  const origin = request.headers.origin;
  if (origin && !owner.allowedOrigins.includes('*') && !owner.allowedOrigins.includes(origin)) {
    throw new AppError('origin_not_allowed');
  }
  return { ...owner, scope: 'public' };
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.toLowerCase().startsWith('bearer ')) return undefined;
  return header.slice(7).trim() || undefined;
}

/** The project of the secret key in `Authorization: Bearer <secretKey>`. */
export async function authenticateSecret(request: FastifyRequest, keys: KeyCache): Promise<string> {
  const key = bearerOf(request);
  // The commonest mix-up: the write key (as Bearer, or as Segment's Basic user name) sent to a
  // query endpoint. Say so instead of "not valid", which sends people to rotate a good key.
  const isWriteKey = async (candidate: string | undefined) =>
    !!candidate?.startsWith('tw_') && !!(await keys.lookup(candidate, 'write'));
  if (!key) {
    const basicUser = request.headers.authorization ? writeKeyOf(request) : undefined;
    throw new AppError(
      (await isWriteKey(basicUser)) ? 'write_key_on_query_endpoint' : 'missing_secret_key',
    );
  }
  const owner = await keys.lookup(key, 'secret');
  if (!owner) {
    throw new AppError(
      (await isWriteKey(key)) ? 'write_key_on_query_endpoint' : 'invalid_secret_key',
    );
  }
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
