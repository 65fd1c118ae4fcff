import type { FastifyRequest } from 'fastify';

// Query parameters that carry credentials, whatever their value looks like.
const SECRET_PARAMS = /^(write_?key|secret_?key|api_?key|key|token|access_?token|password)$/i;
// Tenure's own keys (tw_…, ts_…) and admin tokens anywhere in a URL: some clients put the key
// in the query string (`?writeKey=`), and logs travel further than the database does.
const TENURE_KEY = /\bt[ws]_[A-Za-z0-9_-]{6,}/g;

/** The URL with credentials replaced by `[redacted]`, for logs. */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  const path = (question < 0 ? url : url.slice(0, question)).replace(TENURE_KEY, '[redacted]');
  if (question < 0) return path;
  const query = url
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      if (equals >= 0 && SECRET_PARAMS.test(decodeURIComponentSafe(name)))
        return `${name}=[redacted]`;
      return pair.replace(TENURE_KEY, '[redacted]');
    })
    .join('&');
  return `${path}?${query}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Fastify's request log fields, with the URL redacted (headers are never logged). */
export function redactedRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    // Fastify's serializer type wants a number; a request without a socket (inject) has none.
    remotePort: request.socket?.remotePort ?? 0,
  };
}
