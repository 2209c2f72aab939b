/** The tunicoin package directory (holds migrations/ and scripts/), found from this module's URL. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(from = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tunicoin') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the tunicoin package directory');
    dir = up;
  }
}
