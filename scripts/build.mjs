// Bundle the CLI into dist/ (ESM, code-split so command modules load lazily). better-sqlite3 is
// a native addon and stays external; everything else is inlined to keep start-up cheap.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMigrationIndex } from './gen-migration-index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
generateMigrationIndex(join(root, 'migrations'));
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/index.ts', ...extraEntries() },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // react-devtools-core: Ink loads it only when DEV=true (React devtools); it is not a dependency.
  external: ['better-sqlite3', 'esbuild', 'piscina', 'react-devtools-core'],
  // NODE_ENV: React (in `watch`) is bundled in its production build, not the development one.
  define: { __TUNICOIN_VERSION__: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies bundled into ESM need a require().
  banner: { js: "import { createRequire as __tunicoinCreateRequire } from 'node:module'; const require = __tunicoinCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

/** Worker entry points that must be files of their own (filled in as they appear). */
function extraEntries() { return { lib: 'src/lib.ts', 'sweep-worker': 'src/engine/sweep-worker.ts' }; }
