#!/usr/bin/env node
// Thin launcher into the bundled CLI (built by `npm ci` / `npm run build`).
import('../dist/cli.js').catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli.js')) {
    process.stderr.write('tunicoin is not built: run `npm run build` in its directory\n');
    process.exit(1);
  }
  throw e;
});
