/** What `/` shows when apps/web has not been built: how to build it, and where the API is. */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tenure</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Tenure is running</h1>
<p>The web workspace has not been built. Run <code>pnpm build</code> (or <code>pnpm start</code>,
which builds first) in the repository, then reload this page.</p>
<p>The API answers meanwhile: <a href="/docs">API docs</a>, <a href="/openapi.json">openapi.json</a>,
<a href="/healthz">health</a>.</p>
</body>
</html>
`;
