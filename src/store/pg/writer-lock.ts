/**
 * tunicoin's writer lock on PostgreSQL: every write transaction takes it first (an advisory
 * lock held to COMMIT or ROLLBACK), which is what SQLite's BEGIN IMMEDIATE gives: writers
 * queue, readers never wait, and no order is lost or filled twice however many clients write.
 */
export const WRITER_LOCK_KEY = 0x74756e69; // "tuni"

/** Begins a write transaction holding the writer lock (one round trip). */
export const BEGIN_WRITE = `BEGIN; SELECT pg_advisory_xact_lock(${WRITER_LOCK_KEY})`;
