// The layer graph of DESIGN.md, checked by `npm test` (`npm run depcruise`):
// cli -> app -> engine -> core; app -> store, market; store and market -> core; nothing imports
// upward and no two modules import each other. .dependency-cruiser-known-violations.json lists
// tolerated violations: empty since issue 8 moved the last ones to their layers; any new
// violation fails the build.
/** @type {(from: string, to: string[], why: string) => import('dependency-cruiser').IForbiddenRuleType} */
const forbid = (from, to, why) => ({
  name: `${from}-not-to-${to.join('-')}`,
  comment: why,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: `^src/(${to.join('|')})/` },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid('core', ['cli', 'app', 'engine', 'store', 'market', 'report'], 'core is pure: it imports nothing of ours outside core'),
    forbid('engine', ['cli', 'app', 'store', 'market', 'report'], 'the engine is given its candles and state'),
    forbid('store', ['cli', 'app', 'engine', 'market', 'report'], 'repositories know rows and the core, nothing above'),
    forbid('market', ['cli', 'app', 'engine', 'store', 'report'], 'the market generator and parsers sit below app'),
    forbid('report', ['cli', 'app', 'engine', 'store', 'market'], 'the HTML report renders data it is given'),
    forbid('app', ['cli'], 'use cases never reach into the CLI'),
    forbid('cli', ['engine', 'market'], 'the CLI goes through use cases (app), not the engine'),
    {
      name: 'no-circular',
      comment: 'no two modules import each other, directly or through others',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
