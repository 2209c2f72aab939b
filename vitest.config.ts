import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Test files that replace a module (vi.mock): they get a module registry of their own. */
const MOCKING = ['test/integration/order-prompt.test.ts', 'test/integration/user-prompts.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The PostgreSQL server of the run (TUNICOIN_TEST_PG_URL, else a throw-away one): test/helpers/pg.ts.
    globalSetup: ['test/setup/postgres.ts'],
    // Processes, not threads: the help-examples test runs the CLI in process in each example's own
    // directory (process.chdir, which worker threads cannot do), and native better-sqlite3 handles
    // stay per process. One worker per core: Vitest's default leaves one core free (1 worker on 2).
    pool: 'forks',
    maxWorkers: availableParallelism(),
    // `npm run coverage`: line coverage of src (v8); the CLI runs in process, so it counts too.
    coverage: { provider: 'v8', include: ['src/**'], reporter: ['text-summary', 'json-summary'] },
    projects: [
      {
        extends: true,
        // The files of a worker share its loaded modules (no re-import of src per file, about half
        // the time of the unit tests): the CLI keeps no state between runs (runMain).
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING, isolate: true } },
    ],
  },
});
