import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { MAX_PARAM_LENGTH } from '../http/error-handler.js';
import { NOT_BUILT_PAGE } from './not-built-page.js';

/** Vite puts content-hashed files under assets/: a new build has new names, so cache forever. */
const HASHED_ASSETS = 'assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
// index.html names the current hashed assets: revalidate it every time, or a deploy is missed.
const REVALIDATE = 'no-cache';

function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/** The file under `dir` that `path` names, if it is one (never outside `dir`, never a dotfile). */
function fileIn(dir: string, path: string): string | undefined {
  const relative = path.replace(/^\/+/, '');
  if (relative === '' || relative.split('/').some((part) => part.startsWith('.'))) return undefined;
  const full = resolve(dir, relative);
  if (!full.startsWith(dir + sep)) return undefined;
  try {
    return statSync(full).isFile() ? relative : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves the web workspace (apps/web/dist) at `/` on the API's port. Files are served as they
 * are; any other GET that asks for HTML and is not under /v1/ gets index.html (the app routes
 * on the client: /accounts/acme reloads into the same page). Everything else falls through to
 * the JSON 404/405. Without a build, `/` says how to make one.
 */
export async function webAppRoutes(app: FastifyInstance, options: { dir: string }) {
  const dir = resolve(options.dir);
  if (existsSync(dir)) {
    await app.register(fastifyStatic, { root: dir, serve: false });
  }
  const built = () => existsSync(join(dir, 'index.html'));

  const send = (reply: FastifyReply, file: string, cacheControl: string) =>
    reply.header('cache-control', cacheControl).sendFile(file, { cacheControl: false });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      return reply.callNotFound();
    }
    if (path === '/v1' || path.startsWith('/v1/')) {
      // The router falls back to this wildcard when an API path's parameter is over its length
      // limit; answer that as the router alone would have.
      if (path.split('/').some((segment) => segment.length > MAX_PARAM_LENGTH)) {
        throw new AppError('uri_too_long');
      }
      return reply.callNotFound();
    }
    if (!built()) {
      if (path === '/' || acceptsHtml(request)) {
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', REVALIDATE)
          .send(NOT_BUILT_PAGE);
      }
      return reply.callNotFound();
    }
    const file = fileIn(dir, path);
    if (file === 'index.html') return send(reply, file, REVALIDATE);
    if (file)
      return send(reply, file, file.startsWith(HASHED_ASSETS) ? IMMUTABLE : 'public, max-age=3600');
    if (path === '/' || acceptsHtml(request)) return send(reply, 'index.html', REVALIDATE);
    return reply.callNotFound();
  };

  app.get('/', handler);
  app.get('/*', handler);
}
