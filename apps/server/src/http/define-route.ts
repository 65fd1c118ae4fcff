import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { authenticateAdmin, authenticateSecret } from '../auth/authenticate.js';
import { authenticateSession, type SessionCaller } from '../auth/authenticate-session.js';
import { sessionTokenOf } from '../auth/session-cookie.js';
import { AppError } from '../errors/app-error.js';
import type { Operation } from './openapi.js';

type Input<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<Q, P, B> {
  query: Q;
  params: P;
  body: B;
  /** The project of the secret key or of the session's X-Tenure-Project (auth: 'secret'); '' otherwise. */
  projectId: string;
  /** Who called a project endpoint: the secret key, or a signed-in person with a role. */
  caller: { kind: 'key' } | SessionCaller | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<Q, P, B> extends Omit<Operation, 'auth'> {
  auth: 'none' | 'secret' | 'admin';
  /**
   * `admin`: a session caller must be an admin of the project even to read (API keys); the
   * secret key always may. State-changing methods always need the admin role.
   */
  role?: 'admin';
  handler: (context: RouteContext<Input<Q>, Input<P>, Input<B>>) => Promise<unknown>;
}

/**
 * A query parameter given twice (`?limit=1&limit=2`) arrives as an array; every parameter of
 * this API takes one value (lists are comma-separated), so say that instead of the confusing
 * "expected number, received NaN" the coercion would produce.
 */
function rejectRepeatedParameters(query: unknown) {
  if (typeof query !== 'object' || query === null) return;
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      throw new AppError('invalid_request', {
        message: `query.${name}: given ${value.length} times; send it once`,
      });
    }
  }
}

/**
 * The request body as the schema should see it. Bodies are JSON: a text/plain body (Fastify
 * reads it as a string) is a 415, and an empty or `null` body is a 400 where the route needs
 * an object (a PUT without a body must not silently mean "reset everything to defaults").
 */
function bodyOf(request: FastifyRequest, schema: z.ZodType): unknown {
  const body = request.body;
  if (typeof body === 'string') throw new AppError('unsupported_media_type');
  if ((body === undefined || body === null) && !schema.safeParse(undefined).success) {
    throw new AppError('invalid_request', { message: 'body: a JSON object is required' });
  }
  return body ?? undefined;
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string) {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0]!;
  throw new AppError('invalid_request', {
    message: `${first.path}: ${first.message}`,
    details: issues,
  });
}

/**
 * Registers a route whose query, params and body are validated by zod (a failure is a clear 400
 * naming the field) and which appears in /openapi.json from the same schemas.
 *
 * @example
 * defineRoute(app, { method: 'GET', url: '/v1/accounts/:accountId', auth: 'secret',
 *   summary: 'Account profile', tags: ['accounts'], params: z.object({ accountId: z.string() }),
 *   handler: async ({ params, projectId }) => getAccount(db, projectId, params.accountId) });
 */
export function defineRoute<
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  app: FastifyInstance,
  spec: RouteSpec<Q, P, B> & { querystring?: Q; params?: P; body?: B },
): void {
  const { handler, role: _role, ...operation } = spec;
  app.services.openapi.add(operation);
  app.route({
    method: spec.method,
    url: spec.url,
    handler: async (request, reply) => {
      let projectId = '';
      let caller: RouteContext<unknown, unknown, unknown>['caller'];
      if (spec.auth === 'secret') {
        // The secret key wins when both are present; the cookie only stands in for a missing key.
        if (request.headers.authorization === undefined && sessionTokenOf(request)) {
          caller = await authenticateSession(request, app.services.db, {
            adminOnly: spec.role === 'admin',
            publicUrl: app.services.config.TENURE_PUBLIC_URL,
          });
          projectId = caller.projectId;
        } else {
          projectId = await authenticateSecret(request, app.services.keys);
          caller = { kind: 'key' };
        }
      }
      if (spec.auth === 'admin') authenticateAdmin(request, app.services.config.TENURE_ADMIN_TOKEN);
      rejectRepeatedParameters(request.query);
      const context = {
        query: parse(spec.querystring, request.query ?? {}, 'query'),
        params: parse(spec.params, request.params ?? {}, 'params'),
        body: spec.body && parse(spec.body, bodyOf(request, spec.body), 'body'),
        projectId,
        caller,
        request,
        reply,
      } as RouteContext<Input<Q>, Input<P>, Input<B>>;
      return handler(context);
    },
  });
}
