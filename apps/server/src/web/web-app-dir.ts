import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built web app, `apps/web/dist`, found from the server package's own folder (the nearest
 * one up with a package.json), so it is the same from `src/` under tests and from the bundled
 * `dist/cli.js`, whatever the working directory.
 */
export function defaultWebAppDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, '..', 'web', 'dist');
}
