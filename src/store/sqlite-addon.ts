/** Where better-sqlite3's compiled addon is, found cheaply at start-up (see nativeBinding). */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let addon: { path: string | undefined } | undefined;
/**
 * better-sqlite3's compiled addon where its install puts it, or undefined (then better-sqlite3's own
 * search by the `bindings` package, which costs every start a few ms of file probing).
 */
function addonPath(): string | undefined {
  if (addon === undefined) {
    addon = { path: installedAddon() };
    if (addon.path === undefined)
      try {
        const p = join(betterSqlite3Dir(), 'build', 'Release', 'better_sqlite3.node');
        addon = { path: statSync(p).isFile() ? p : undefined };
      } catch {
        addon = { path: undefined };
      }
  }
  return addon.path;
}

/**
 * The addon in node_modules/better-sqlite3 next to this module's folder or a parent (where an
 * install puts it): a stat per level, not a module resolution (which reads package.json files
 * and costs start-up some 0.5 ms). Else undefined, and addonPath resolves the package.
 */
function installedAddon(): string | undefined {
  for (let dir = import.meta.dirname; ;) {
    const p = join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    if (statSync(p, { throwIfNoEntry: false })?.isFile()) return p;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const betterSqlite3Dir = (): string => dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));

/**
 * The addon for better-sqlite3's nativeBinding option: its path, else (an unusual build layout) the
 * module its `bindings` package finds, searched from better-sqlite3's directory. Always given, since
 * the CLI bundles better-sqlite3's JavaScript (dist/cli.cjs), where `bindings` could not tell from
 * the caller's file which package it serves.
 */
export function nativeBinding(): string {
  const p = addonPath();
  if (p !== undefined) return p;
  // better-sqlite3 also takes the loaded addon itself (lib/database.js); its types list only a path
  const dir = betterSqlite3Dir();
  const bindings = createRequire(join(dir, 'package.json'))('bindings') as (o: { bindings: string; module_root: string }) => object;
  return bindings({ bindings: 'better_sqlite3.node', module_root: dir }) as unknown as string;
}
