// Serves this example and the SDK's script-tag build: node examples/browser/serve.mjs [port]
// (default 8081: the Tenure server itself defaults to 8080).
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv[2] ?? process.env.PORT ?? 8081);
const files = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/tenure.global.js': ['../../packages/sdk/dist/tenure.global.js', 'text/javascript'],
};

createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const file = files[path];
  if (!file) {
    response.writeHead(404).end('Not found');
    return;
  }
  response.writeHead(200, { 'Content-Type': file[1] });
  createReadStream(fileURLToPath(new URL(file[0], import.meta.url)))
    .on('error', () => response.end('// run: pnpm --filter @tenure/sdk build'))
    .pipe(response);
}).listen(port, () => console.log(`Example app on http://localhost:${port}/`));
