/**
 * tunicoin's writer lock on PostgreSQL: every write transaction takes it first (an advisory
 * lock held to COMMIT or ROLLBACK), which is what SQLite's BEGIN IMMEDIATE gives: writers
 * queue, readers never wait, and no order is lost or filled twice however many clients write.
 *
 * Why one lock and not row locks on the accounts an operation touches: every fill and every
 * fee posts a journal against a house account (fees, counterparty, funding pool; core/ledger.ts)
 * whose `balance_after` is a running sum, and every posting takes the next ledger `seq`. So any
 * two orders that fill — on any accounts — write the same house rows in order: row locks would
 * serialise them on those rows anyway (and add lock-ordering deadlocks), and SERIALIZABLE would
 * abort and retry nearly every concurrent pair. One lock taken up front has neither, and
 * matches SQLite exactly (see bench/pg-clients.mjs for the figures).
 *
 * As on SQLite (busy_timeout), a writer waits at most `timeoutMs` (30 s by default) for the lock, then fails
 * with SQLSTATE 55P03, which the store turns into a DatabaseError (exit 6): a client stuck
 * in a transaction cannot hang every other one for ever.
 */
export const WRITER_LOCK_KEY = 0x74756e69; // "tuni"

/** Begins a write transaction holding the writer lock (one round trip). */
export const BEGIN_WRITE = `BEGIN; SELECT pg_advisory_xact_lock(${WRITER_LOCK_KEY})`;

/** The same, waiting at most `timeoutMs` for the lock (0: for ever); later statements keep the server's lock_timeout. */
export function beginWrite(timeoutMs: number): string {
  const ms = Math.max(0, Math.floor(timeoutMs));
  return `BEGIN; SET LOCAL lock_timeout = ${ms}; SELECT pg_advisory_xact_lock(${WRITER_LOCK_KEY}); SET LOCAL lock_timeout TO DEFAULT`;
}

/** The default wait for the lock (see PgStore.lockTimeoutMs). */
export const PG_LOCK_TIMEOUT_MS = 30_000;

/** SQLSTATE lock_not_available: the lock was not granted within the timeout. */
export const LOCK_NOT_AVAILABLE = '55P03';
