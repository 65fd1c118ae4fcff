import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.types.js';
import type { WorkspaceRole } from '../db/tables/workspace.table.js';
import { AppError } from '../errors/app-error.js';
import { roleIn } from './project-role.sql.js';
import { sessionTokenOf } from './session-cookie.js';
import { type ActiveSession, findActiveSession } from './sessions.sql.js';

export const PROJECT_HEADER = 'x-tenure-project';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether the request changes state (and so needs CSRF proof and a role that may write). */
export function isStateChanging(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method);
}

/** The origin this server is reached at: TENURE_PUBLIC_URL's, else the request's scheme and Host. */
export function ownOrigin(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return new URL(publicUrl).origin;
  return `${request.protocol}://${request.host}`;
}

function sameString(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A browser sends the session cookie on every request to this host, including ones a hostile
 * page triggers; SameSite=Lax already keeps it off cross-site POSTs in current browsers. Two
 * more locks: the CSRF token (only our page, which read it from the session body, knows it)
 * and the Origin, which browsers set on every cross-origin POST and page scripts cannot forge.
 */
export function checkCsrf(
  request: FastifyRequest,
  session: ActiveSession,
  publicUrl: string | undefined,
): void {
  const token = request.headers[CSRF_HEADER];
  if (typeof token !== 'string' || !sameString(token, session.csrfToken)) {
    throw new AppError('csrf_failed', { message: 'X-CSRF-Token is missing or wrong' });
  }
  checkOrigin(request, publicUrl);
}

/** Refuses a request whose Origin header (when there is one) is another site. */
export function checkOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== ownOrigin(request, publicUrl)) {
    throw new AppError('csrf_failed', { message: `Origin ${origin} is not this server` });
  }
}

/** The signed-in session of the request's cookie; 401 `not_signed_in` without a live one. */
export async function requireSession(
  request: FastifyRequest,
  db: Db,
): Promise<ActiveSession & { token: string }> {
  const token = sessionTokenOf(request);
  const session = token ? await findActiveSession(db, token) : undefined;
  if (!token || !session) throw new AppError('not_signed_in');
  return { ...session, token };
}

export interface SessionCaller {
  kind: 'session';
  projectId: string;
  userId: string;
  role: WorkspaceRole;
}

/**
 * A cookie-authenticated call to a project endpoint: the project from X-Tenure-Project, the
 * person's role in it, CSRF proof on state changes, and the role's right to make them. All of
 * it is checked before the handler runs, so a refused call has changed nothing.
 */
export async function authenticateSession(
  request: FastifyRequest,
  db: Db,
  options: { adminOnly: boolean; publicUrl: string | undefined },
): Promise<SessionCaller> {
  const session = await requireSession(request, db);
  const projectId = request.headers[PROJECT_HEADER];
  if (typeof projectId !== 'string' || projectId === '') throw new AppError('missing_project');
  const role = await roleIn(db, session.userId, projectId);
  if (!role) throw new AppError('forbidden');
  const writes = isStateChanging(request);
  if (writes) checkCsrf(request, session, options.publicUrl);
  if (role !== 'admin' && (writes || options.adminOnly)) {
    throw new AppError('forbidden_for_role', {
      message: writes
        ? 'Your role in this project is viewer, which is read-only: ask an admin of the project to make this change'
        : 'Only an admin of the project can see this',
    });
  }
  return { kind: 'session', projectId, userId: session.userId, role };
}
