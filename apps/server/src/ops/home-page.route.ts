import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../http/define-route.js';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Tenure</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
</head>
<body>
<h1>Tenure is running</h1>
<p>This is the API server: it takes events from the SDK and answers who is slipping and why.</p>
<ul>
<li><a href="/docs">API reference</a> (<a href="/openapi.json">openapi.json</a>)</li>
<li><a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>, <a href="/metrics">/metrics</a></li>
<li>The guides: <code>docs/</code> in the repository, starting with the README</li>
</ul>
<p>Ask for the riskiest accounts:
<code>curl -H 'authorization: Bearer $SECRET_KEY' /v1/accounts?sort=risk&amp;limit=5</code></p>
</body>
</html>
`;

/**
 * `GET /`: a small page pointing at the docs instead of a JSON 404 for someone who opens the
 * server in a browser. Its own file, so the web workspace can take `/` over by replacing it.
 */
export function homePageRoute(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/',
    auth: 'none',
    summary: 'A page pointing at the API docs',
    tags: ['operations'],
    produces: ['text/html'],
    handler: async ({ reply }) => {
      reply.type('text/html; charset=utf-8');
      return PAGE;
    },
  });
}
