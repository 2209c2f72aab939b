/**
 * PostgreSQL 004_bot_decisions_unsettled: SQLite's migration 014, the same partial indexes of the
 * decisions still waiting for their order's outcome (its statements are valid on both).
 */
export { up, down } from '../014_bot_decisions_unsettled.ts';
