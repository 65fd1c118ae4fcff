// Prints the gzip size of the script-tag build and fails over budget. Run: pnpm --filter @tenure/sdk size
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 4096;
const file = new URL('../dist/tenure.global.js', import.meta.url);
const source = readFileSync(file);
const gzip = gzipSync(source).length;
console.log(`dist/tenure.global.js: ${source.length} bytes, ${gzip} bytes gzip (budget ${BUDGET})`);
if (gzip > BUDGET) {
  console.error(`Over budget by ${gzip - BUDGET} bytes`);
  process.exit(1);
}
