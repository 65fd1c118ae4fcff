import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'tenure_session';

/** The session token from the `Cookie` header, if there is one. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(separator + 1).trim();
    // Tokens are base64url; anything else was not set by this server.
    return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * HttpOnly: page scripts (and so an XSS) cannot read it. SameSite=Lax: other sites' forms and
 * fetches do not carry it on POST. Secure only over https, so that the http demo on localhost
 * still signs in.
 */
function attributes(request: FastifyRequest, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `; HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAgeSeconds}${secure}`;
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeSeconds: number,
): void {
  void reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${token}${attributes(request, maxAgeSeconds)}`,
  );
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=${attributes(request, 0)}`);
}
