/**
 * WAL checkpoints around a long run of write transactions (`market advance`, `bot run`: a day
 * per transaction, ~7,200 new candles each).
 *
 * By default SQLite checkpoints after the commit that takes the WAL past 1,000 pages: during a
 * 30-day advance (~22,000 WAL frames) that is a checkpoint every second day or so, each one an
 * fsync of the WAL, a copy of its pages into the database file and an fsync of the file (46
 * fsyncs in such a run, measured with strace), and pages written again between two of them
 * (the B-trees' interior pages, the bots' rows) are copied again. Deferred to the end of the
 * run, every page is copied once, after one fsync of the WAL.
 *
 * Durability and consistency do not change: every transaction still commits to the WAL (a
 * killed run keeps every committed day, readers see each commit), only the copy into the main
 * file waits. `release` restores the connection's own setting and runs one PASSIVE checkpoint
 * (it never waits for readers; pages a reader still needs stay in the WAL for the next one).
 * PostgreSQL has no WAL of ours to manage: nothing to do there.
 */
import type { Store } from './db.ts';

/** Defer automatic checkpoints until the returned function is called (call it in `finally`). */
export function deferCheckpoints(store: Store): () => void {
  if (store.dialect !== 'sqlite') return () => {};
  const sqlite = store.sqlite;
  const before = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma('wal_autocheckpoint = 0');
  return () => {
    if (!sqlite.open) return;
    sqlite.pragma(`wal_autocheckpoint = ${Math.trunc(before)}`);
    if (!sqlite.inTransaction) sqlite.pragma('wal_checkpoint(PASSIVE)');
  };
}
