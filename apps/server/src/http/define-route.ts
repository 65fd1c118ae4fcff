import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { authenticateAdmin, authenticateSecret } from '../auth/authenticate.js';
import { AppError } from './app-error.js';
import type { Operation } from './openapi.js';

type Input<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<Q, P, B> {
  query: Q;
  params: P;
  body: B;
  /** The project of the secret key (auth: 'secret'); '' otherwise. */
  projectId: string;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<Q, P, B> extends Omit<Operation, 'auth'> {
  auth: 'none' | 'secret' | 'admin';
  handler: (context: RouteContext<Input<Q>, Input<P>, Input<B>>) => Promise<unknown>;
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string) {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
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
  const { handler, ...operation } = spec;
  app.services.openapi.add(operation);
  app.route({
    method: spec.method,
    url: spec.url,
    handler: async (request, reply) => {
      let projectId = '';
      if (spec.auth === 'secret') projectId = await authenticateSecret(request, app.services.keys);
      if (spec.auth === 'admin') authenticateAdmin(request, app.services.config.TENURE_ADMIN_TOKEN);
      const context = {
        query: parse(spec.querystring, request.query, 'query'),
        params: parse(spec.params, request.params, 'params'),
        body: parse(spec.body, request.body, 'body'),
        projectId,
        request,
        reply,
      } as RouteContext<Input<Q>, Input<P>, Input<B>>;
      return handler(context);
    },
  });
}
