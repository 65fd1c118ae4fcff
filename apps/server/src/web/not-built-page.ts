/**
 * What `/` shows when apps/web has not been built: how to build it, and where the API and its
 * docs are (what `GET /` showed before the workspace took `/` over).
 */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tenure</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Tenure is running</h1>
<p>The web workspace has not been built. Run <code>pnpm build</code> (or <code>pnpm start</code>,
which builds first) in the repository, then reload this page.</p>
<p>The API answers meanwhile: it takes events from the SDK and answers who is slipping and why.</p>
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
