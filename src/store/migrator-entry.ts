/**
 * Entry of dist/migrator.cjs: the migrations runner with umzug, most of the CLI's
 * weight, in a file of its own that the CLI loads only when the schema is behind, a `db`
 * command runs (see scripts/build.mjs).
 */
export * from './migrator.ts';
