// Bundle the CLI into dist/ (ESM, code-split so command modules load lazily). better-sqlite3 is
// a native addon and stays external; everything else is inlined to keep start-up cheap.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
  external: ['better-sqlite3', 'esbuild', 'piscina'],
  define: { __TUNICOIN_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies bundled into ESM need a require().
  banner: { js: "import { createRequire as __tunicoinCreateRequire } from 'node:module'; const require = __tunicoinCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  plugins: [rawText()],
});

/** Worker entry points that must be files of their own (filled in as they appear). */
function extraEntries() { return { lib: 'src/lib.ts', 'sweep-worker': 'src/engine/sweep-worker.ts' }; }

/** `import text from './file?raw'`: the file's text inlined as a string (the report page's assets). */
function rawText() {
  return {
    name: 'raw-text',
    setup(b) {
      b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)), namespace: 'raw-text' }));
      b.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
    },
  };
}
