type OpenApiDocument = {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OperationObject>>;
};
type OperationObject = {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: {
    name: string;
    in: string;
    required: boolean;
    schema?: { type?: string; enum?: unknown[] };
  }[];
  requestBody?: unknown;
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const AUTH: Record<string, string> = {
  writeKey: 'write key',
  secretKey: 'secret key',
  adminToken: 'admin token',
};

function describeParameter(p: NonNullable<OperationObject['parameters']>[number]) {
  const type = p.schema?.enum ? p.schema.enum.map(String).join(' | ') : (p.schema?.type ?? '');
  return `<code>${escapeHtml(p.name)}</code>${p.required ? '' : '?'} <small>${escapeHtml(`${p.in} ${type}`)}</small>`;
}

/** Human-readable API reference rendered from the OpenAPI document (`GET /docs`). */
export function renderApiDocs(document: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const auth = (op.security ?? [])
        .flatMap((s) => Object.keys(s))
        .map((k) => AUTH[k])
        .filter(Boolean);
      const params = (op.parameters ?? []).map(describeParameter).join(', ');
      const row = `<tr><td><b>${method.toUpperCase()}</b> <code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}${
        params ? `<br>${params}` : ''
      }${op.requestBody ? '<br><small>JSON body</small>' : ''}</td><td>${escapeHtml([...new Set(auth)].join(' or ') || 'none')}</td></tr>`;
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), row]);
    }
  }
  const sections = [...byTag]
    .map(
      ([tag, rows]) =>
        `<h2>${escapeHtml(tag)}</h2><table><tr><th>endpoint</th><th>what</th><th>auth</th></tr>${rows.join('')}</table>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(document.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}
code{background:#f4f4f4;padding:0 .2em}</style></head><body>
<h1>${escapeHtml(document.info.title)} ${escapeHtml(document.info.version)}</h1><p>${escapeHtml(document.info.description ?? '')}
Machine-readable: <a href="/openapi.json">/openapi.json</a>. Errors are <code>{ "error": { "code", "message", "details" } }</code>.</p>
${sections}</body></html>`;
}
