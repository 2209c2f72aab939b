#!/usr/bin/env node
// Thin launcher into the bundled CLI, dist/cli.cjs (built by `npm ci` / `npm run build`).
//
// CommonJS on purpose (bin/package.json): a CommonJS entry starts without Node's ESM loader. And
// the bundle is compiled with V8's code cache, dist/cli.cjs.cache, as `module.enableCompileCache()`
// does on Node >= 22.1 (Node 20 lacks it): the build trains the cache on the everyday commands;
// a cache from another build (first line of cli.cjs) or another Node is replaced after the
// command by one of this run's, when dist/ is writable. V8 checks flags and version itself.
// TUNICOIN_CODE_CACHE=off: neither read nor write it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, '..', 'dist', 'cli.cjs');
const cacheFile = `${file}.cache`;
let source;
try {
  source = fs.readFileSync(file, 'latin1'); // all ASCII (the build checks): a one-byte string, no UTF-8 decoding
} catch (e) {
  if (!e || e.code !== 'ENOENT') throw e;
}
if (source === undefined) {
  // no CommonJS bundle (the build could not make one, see scripts/build.mjs): the ESM bundle
  import(require('node:url').pathToFileURL(path.join(__dirname, '..', 'dist', 'cli.js')).href).catch((e) => {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('cli.js')) {
      process.stderr.write('tunicoin is not built: run `npm run build` in its directory\n');
      process.exit(1);
    }
    throw e;
  });
} else {
  run(source);
}

function run(source) {
  const key = Buffer.from(`${source.slice(0, source.indexOf('\n'))} ${process.version} ${process.arch}\n`);
  const train = process.env.TUNICOIN_CODE_CACHE_TRAIN;
  const useCache = process.env.TUNICOIN_CODE_CACHE !== 'off';
  let cached;
  if (useCache && !train)
    try {
      const buf = fs.readFileSync(cacheFile);
      if (buf.length > key.length && buf.subarray(0, key.length).equals(key)) cached = buf.subarray(key.length);
    } catch {
      /* no cache yet */
    }

  // The CommonJS wrapper, plus the import() the bundle uses for user strategy files: V8 drops a
  // script's own import() callback when its code comes from a cache (Node 20), this one is ours.
  // The build writes it into the file (scripts/build.mjs, stampBuild), so the text is compiled
  // as read: Node keeps a string this large outside V8's heap, a wrapped copy would be on it.
  const wrapper = '(function (exports, require, module, __filename, __dirname, __tunicoinImport) {';
  const wrapped = source.startsWith(wrapper, source.indexOf('\n') + 1);
  const script = new vm.Script(wrapped ? source : `${wrapper}${source}\n})`, { filename: file, cachedData: cached });
  const mod = { exports: {} };
  const importFn = (specifier) => import(specifier);
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file), importFn);

  function saveCache() {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, Buffer.concat([key, script.createCachedData()]));
      fs.renameSync(tmp, cacheFile); // atomic: concurrent runs never read half a cache
    } catch {
      /* read-only install: run without */
    }
  }

  if (train) {
    // Build step (scripts/build.mjs): run each argv in turn, then keep the code compiled for all.
    (async () => {
      const failed = [];
      for (const args of JSON.parse(train)) {
        await mod.exports.main([process.argv[0], process.argv[1], ...args]);
        if (process.exitCode) failed.push(args.join(' '));
        process.exitCode = 0;
      }
      saveCache();
      if (failed.length) {
        process.stderr.write(`failed: ${failed.join('; ')}\n`);
        process.exitCode = 1;
      }
    })();
  } else {
    mod.exports.main(process.argv).then(() => {
      if (useCache && !cached) saveCache();
      // Nothing left to run (no handle, request or timer keeps the loop alive, no 'beforeExit'
      // listener): end now. Ending on its own, Node would first tear its heap down, some 5-10 ms
      // after a 1m backtest; 'exit' listeners run either way, and stdout and stderr are written
      // synchronously (a pipe or file, src/cli/std-streams.ts; a terminal on Linux).
      if (process.getActiveResourcesInfo().length === 0 && process.listenerCount('beforeExit') === 0) process.exit();
    });
  }
}
