// Bundle the CLI into dist/: the ESM build (code-split; lib.js and the worker entries, and cli.js
// as the launcher's fallback), then the CommonJS CLI that bin/tunicoin.js runs (below).
// better-sqlite3 is a native addon and stays external; so do the PostgreSQL packages (PG_PACKAGES:
// loaded from node_modules only for a postgres:// URL, never at SQLite start-up); everything else is inlined.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMigrationIndex } from './gen-migration-index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Never inlined, in any bundle (test/e2e/startup-modules.test.ts checks it).
const PG_PACKAGES = ['pg', 'pg-boss', 'pg-copy-streams', 'pg-cursor'];
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
  external: ['better-sqlite3', 'esbuild', 'piscina', 'react-devtools-core', ...PG_PACKAGES],
  // NODE_ENV: React (in `watch`) is bundled in its production build, not the development one.
  define: { __TUNICOIN_VERSION__: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies bundled into ESM need a require().
  banner: {
    js: "import { createRequire as __tunicoinCreateRequire } from 'node:module'; const require = __tunicoinCreateRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  plugins: [rawText()],
});

// The CLI that bin/tunicoin.js runs: ONE CommonJS file (dist/cli.cjs), so start-up needs no ESM
// loader and V8 can reuse its compiled code (see bin/tunicoin.js). The migrations runner (umzug,
// most of the weight) is a file of its own, dist/migrator.cjs, required on demand: the plugin
// below points the CLI's imports of it there. Kysely's query builder is in the CLI (store/db.ts).
const cjs = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  define: {
    __TUNICOIN_VERSION__: JSON.stringify(pkg.version),
    'import.meta.url': '__tunicoinMeta.url',
    'import.meta.dirname': '__dirname',
    'import.meta.filename': '__filename',
  },
  // made on first use: most commands never ask (a file URL costs node:url's parser at start-up)
  banner: { js: "var __tunicoinMeta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  logLevel: 'warning',
};
await build({
  ...cjs,
  entryPoints: { migrator: 'src/store/migrator-entry.ts' },
  external: ['better-sqlite3', 'esbuild', 'piscina', ...PG_PACKAGES],
});
const onDemand = {
  name: 'migrator-on-demand',
  setup(b) {
    b.onResolve({ filter: /\/migrator\.ts$/ }, () => ({ path: 'migrator', namespace: 'on-demand' }));
    b.onLoad({ filter: /.*/, namespace: 'on-demand' }, () => ({ contents: "module.exports = require('./migrator.cjs');", loader: 'js' }));
    b.onResolve({ filter: /^\.\/migrator\.cjs$/ }, () => ({ path: './migrator.cjs', external: true }));
  },
};
// V8 loses a script's import() callback when it comes from the code cache (Node 20), so the CLI's
// import() of computed specifiers (user strategy files) calls the launcher's import() instead,
// and those of package names become require().
const launcherImport = {
  name: 'launcher-import',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      // strategy-worker.ts holds the worker thread's source as a string: its import() runs in the
      // worker, where the native one works and __tunicoinImport does not exist.
      if (/[\\/]strategy-worker\.ts$/.test(path)) return { contents: text, loader: 'ts' };
      return { contents: text.replace(/(?<![\w$.])import\((?!\s*['"`])/g, '__tunicoinImport('), loader: 'ts' };
    });
  },
};
// child_process (and the net, dgram and stream modules under it) costs start-up time, and only
// commander's external subcommands (which we do not use) call it: required on first use. Only
// for modules required CommonJS-style: an ESM import of it would enumerate it at once (__toESM).
// crypto (some 20 internal modules, 5-15 ms) likewise: the uuid package imports it as soon as an
// id module is initialised, but only a command that makes an id or hashes a token calls it. Its
// stand-in is an ES module, so that named imports stay lazy; it exports the functions the bundle
// uses (a name missing here fails the build) and, as its default, the whole module on first use.
const lazyCryptoExports = ['createHash', 'createHmac', 'randomBytes', 'randomFillSync', 'randomUUID', 'timingSafeEqual'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(child_process|crypto)$/ }, (a) =>
      a.namespace === 'lazy-builtin' ? { path: a.path, external: true } : { path: a.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /^crypto$/, namespace: 'lazy-builtin' }, () => ({
      loader: 'js',
      contents: `let m; const load = () => (m ??= require('node:crypto'));
        export default new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load(), ownKeys: () => Reflect.ownKeys(load()),
          getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(load(), k); return d && { ...d, configurable: true }; } });
        ${lazyCryptoExports.map((n) => `export const ${n} = (...a) => load().${n}(...a);`).join('\n')}`,
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (a) => ({
      loader: 'js',
      contents: `let m; const load = () => (m ??= require('node:${a.path}'));
        module.exports = new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load(), ownKeys: () => Reflect.ownKeys(load()),
          getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(load(), k); return d && { ...d, configurable: true }; } });`,
    }));
  },
};
// chalk's supports-color calls tty.isatty(1) and (2) as it loads, and node:tty loads node:net:
// some 2 ms of every start. For chalk, isatty answers false without node:tty for what is not a
// character device (every terminal is one), so a pipe or a file never loads it.
const chalkTty = {
  name: 'chalk-lazy-tty',
  setup(b) {
    b.onResolve({ filter: /^(node:)?tty$/ }, (a) =>
      /[\\/]chalk[\\/]/.test(a.importer) ? { path: 'tty', namespace: 'chalk-tty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'chalk-tty' }, () => ({
      loader: 'js',
      contents: `import { fstatSync } from 'node:fs';
        const isatty = (fd) => { try { if (!fstatSync(fd).isCharacterDevice()) return false; } catch { return false; } return require('node:tty').isatty(fd); };
        export default { isatty };`,
    }));
  },
};
// cli-table3 measures every cell with string-width, whose first call compiles the emoji-regex
// package's very large pattern (some 5-8 ms of every command that prints a table). For printable
// ASCII and the box-drawing characters of the borders (U+2500-U+257F) and the ellipsis, all of
// width 1 (string-width says so too), the width is the length: string-width only runs for others.
const asciiWidth = {
  name: 'ascii-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (a) =>
      a.namespace === 'ascii-string-width' || !/[\\/]cli-table3[\\/]/.test(a.importer)
        ? undefined
        : { path: a.importer, namespace: 'ascii-string-width', pluginData: a.resolveDir },
    );
    b.onLoad({ filter: /.*/, namespace: 'ascii-string-width' }, (a) => ({
      loader: 'js',
      resolveDir: a.pluginData,
      contents: `const stringWidth = require('string-width');
        module.exports = (s) => (typeof s === 'string' && /^[\\x20-\\x7e\\u2500-\\u257f\\u2026]*$/.test(s) ? s.length : stringWidth(s));`,
    }));
  },
};
// `import { sql } from 'kysely'` initialises Kysely's whole index at start-up: some 250 modules,
// the MySQL and MSSQL dialects, the migrator and the plugins among them (esbuild wraps them for
// lazy init, so it cannot drop them). The CLI's static imports take the few names a SQLite
// command uses from their own files (the query creator, not the Kysely class: store/db.ts); a
// name missing here fails the build. A second set serves what runs on demand: an import() (the
// migrations' executing Kysely) and the PostgreSQL store (store/pg/, loaded for a URL only).
// dist/migrator.cjs keeps the whole package.
const kyselyFiles = {
  // static imports (every command)
  core: {
    CompiledQuery: 'query-compiler/compiled-query.js',
    DefaultConnectionProvider: 'driver/default-connection-provider.js',
    DefaultQueryExecutor: 'query-executor/default-query-executor.js',
    DummyDriver: 'driver/dummy-driver.js',
    QueryCreator: 'query-creator.js',
    SqliteAdapter: 'dialect/sqlite/sqlite-adapter.js',
    SqliteQueryCompiler: 'dialect/sqlite/sqlite-query-compiler.js',
    sql: 'raw-builder/sql.js',
  },
  // import('kysely') (the migrations' executing Kysely) and store/pg/ (loaded for a URL only)
  lazy: {
    CompiledQuery: 'query-compiler/compiled-query.js',
    DummyDriver: 'driver/dummy-driver.js',
    Kysely: 'kysely.js',
    PostgresAdapter: 'dialect/postgres/postgres-adapter.js',
    PostgresIntrospector: 'dialect/postgres/postgres-introspector.js',
    PostgresQueryCompiler: 'dialect/postgres/postgres-query-compiler.js',
    SqliteDialect: 'dialect/sqlite/sqlite-dialect.js',
  },
};
const kyselyParts = {
  name: 'kysely-parts',
  setup(b) {
    const esm = join(dirname(createRequire(import.meta.url).resolve('kysely')), '..', 'esm'); // from dist/cjs/index.js
    b.onResolve({ filter: /^kysely$/ }, (a) => ({
      path: a.kind === 'dynamic-import' || /[\\/]store[\\/]pg[\\/]/.test(a.importer) ? 'lazy' : 'core',
      namespace: 'kysely-parts',
    }));
    b.onLoad({ filter: /.*/, namespace: 'kysely-parts' }, (a) => ({
      loader: 'js',
      resolveDir: esm,
      contents: Object.entries(kyselyFiles[a.path])
        .map(([name, file]) => `export { ${name} } from ${JSON.stringify(join(esm, file))};`)
        .join('\n'),
    }));
  },
};
try {
  await build({
    ...cjs,
    entryPoints: { cli: 'src/cli/main.ts' },
    // better-sqlite3's JavaScript is bundled too (a dozen small files Node would otherwise resolve,
    // read and compile at every start, outside the code cache); its addon is loaded by its path
    // (store/sqlite-addon.ts, nativeBinding), never by the `bindings` package.
    external: ['bindings', 'esbuild', 'piscina', ...PG_PACKAGES],
    supported: { 'dynamic-import': false },
    plugins: [onDemand, kyselyParts, launcherImport, lazyBuiltins, chalkTty, asciiWidth, rawText()],
    // no comments nor indentation: fewer bytes to read and hash at every start, and an all-ASCII
    // file (the comments held the only other characters), which V8 keeps one byte per character.
    // Names are kept, so stack traces still name their functions. Licence comments: cli.cjs.LEGAL.txt.
    minifyWhitespace: true,
    legalComments: 'external',
    logLevel: 'silent',
  });
  stampBuild(join(root, 'dist', 'cli.cjs'));
  trainCodeCache();
  await buildSweepWorker();
} catch (e) {
  // e.g. a dependency with top-level await, which CommonJS cannot have: the launcher then runs
  // the ESM bundle (dist/cli.js), correct but slower to start.
  rmSync(join(root, 'dist', 'cli.cjs'), { force: true });
  console.warn(`warning: no CommonJS CLI bundle (start-up falls back to dist/cli.js): ${e.message.split('\n').slice(0, 4).join(' ')}`);
}

/**
 * dist/sweep-worker.cjs: the `optimize` thread as one CommonJS file with the CLI's bundling
 * (Kysely's few query-builder files, not its whole index; no migrations runner; lazy builtins):
 * each thread of the sweep loads and compiles some 40% of the bytes of the ESM worker's 23 files.
 * Without it the pool runs dist/sweep-worker.js (app/optimize.ts).
 */
async function buildSweepWorker() {
  const file = join(root, 'dist', 'sweep-worker.cjs');
  try {
    await build({
      ...cjs,
      entryPoints: { 'sweep-worker': 'src/app/sweep-worker.ts' },
      external: ['bindings', 'esbuild', 'piscina', ...PG_PACKAGES],
      supported: { 'dynamic-import': false },
      plugins: [onDemand, kyselyParts, launcherImport, lazyBuiltins, rawText()],
      minifyWhitespace: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
    if (readFileSync(file, 'latin1').includes('__tunicoinImport(')) throw new Error('the worker needs the launcher import()');
  } catch (e) {
    rmSync(file, { force: true });
    console.warn(`warning: no CommonJS sweep worker (optimize runs dist/sweep-worker.js): ${e.message.split('\n').slice(0, 4).join(' ')}`);
  }
}

/**
 * First line of dist/cli.cjs: a hash of the rest. The launcher keys its code cache on it (V8
 * itself only checks the source's length). The rest is the bundle inside the function wrapper
 * bin/tunicoin.js calls (the same text as the launcher's `wrapper`): the launcher compiles the file's text
 * as it was read, which Node keeps outside V8's heap; wrapping it there made a 1.4 MB copy on the
 * heap at every start.
 */
function stampBuild(file) {
  const body = readFileSync(file, 'utf8');
  // the launcher reads it as latin1 (one byte a character, no decoding): esbuild escapes
  // non-ASCII characters in code, and legal comments are external, so none should be left
  if (/[\u0080-\uffff]/.test(body)) throw new Error('dist/cli.cjs has non-ASCII characters');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 32);
  const wrapper = '(function (exports, require, module, __filename, __dirname, __tunicoinImport) {';
  writeFileSync(file, `// tunicoin-build ${hash}\n${wrapper}${body}\n})`);
}

/**
 * Write dist/cli.cjs.cache: run the everyday commands once in one process on a scratch database
 * and keep V8's compiled code for all of them (bin/tunicoin.js, TUNICOIN_CODE_CACHE_TRAIN).
 * Without it the CLI still works: the first command run writes a cache of its own.
 */
function trainCodeCache() {
  const dir = mkdtempSync(join(tmpdir(), 'tunicoin-build-'));
  try {
    const db = join(dir, 'train.db');
    // the database first, in a process of its own: seeding's code would only weigh on the cache
    spawnSync(
      process.execPath,
      [
        join(root, 'bin', 'tunicoin.js'),
        '--db',
        db,
        'seed',
        '--days',
        '1',
        '--instruments',
        'BTC-USD,ETH-USD',
        '--end',
        '2026-01-01T00:00:00Z',
      ],
      { env: { ...process.env, TUNICOIN_CODE_CACHE: 'off' }, stdio: 'ignore' },
    );
    const runs = [
      ['quote', 'BTC-USD', '--json'],
      ['quote', 'ETH-USD'],
      ['account'],
      ['account', '--json'],
      ['order', 'buy', 'BTC-USD', '0.1'],
      ['order', 'sell', 'ETH-USD', '1', '--json'],
      ['positions'],
      ['orders', '--json'],
      ['instruments'],
      ['candles', 'BTC-USD', '--limit', '3'],
      ['clock'],
      ['--help'],
      ['order', 'buy', '--help'],
    ].map((a) => ['--db', db, ...a]);
    const r = spawnSync(process.execPath, [join(root, 'bin', 'tunicoin.js')], {
      env: { ...process.env, NO_COLOR: '1', TUNICOIN_CODE_CACHE_TRAIN: JSON.stringify(runs) },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    if (r.status !== 0) console.warn(`warning: training the CLI's code cache: ${r.stderr.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Worker entry points that must be files of their own (filled in as they appear). */
function extraEntries() {
  return { lib: 'src/lib.ts', 'sweep-worker': 'src/app/sweep-worker.ts', 'watch-ui': 'src/cli/watch/ink-ui.tsx' };
}

/** `import text from './file?raw'`: the file's text inlined as a string (the report page's assets). */
function rawText() {
  return {
    name: 'raw-text',
    setup(b) {
      b.onResolve({ filter: /\?raw$/ }, (args) => ({
        path: resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)),
        namespace: 'raw-text',
      }));
      b.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
    },
  };
}
