/**
 * Liveness of backtest rows (migration 004): the pid running a row and its heartbeat. Every SQL
 * statement about it lives here.
 */
import type { Store } from './db.ts';

export interface LiveBacktestRow {
  id: string;
  status: string;
  pid: number | null;
  heartbeat_at: string | null;
  created_at: string;
}

/** Rows that claim to be in progress. */
export function backtestsInProgress(store: Store): LiveBacktestRow[] {
  return store.all(
    store.db
      .selectFrom('backtests')
      .select(['id', 'status', 'pid', 'heartbeat_at', 'created_at'])
      .where('status', 'in', ['pending', 'running']),
  );
}

/** Claim a row for this process (at insert or start). */
export function claimBacktest(store: Store, id: string, pid: number, nowIso: string): void {
  store.run(store.db.updateTable('backtests').set({ pid, heartbeat_at: nowIso }).where('id', '=', id));
}

/** A sign of life, written with the progress. */
export function heartbeatBacktest(store: Store, id: string, progress: number, nowIso: string): void {
  store.run(store.db.updateTable('backtests').set({ progress, heartbeat_at: nowIso }).where('id', '=', id));
}

/** Mark an in-progress row failed; false when another process got there first. */
export function failInterruptedBacktest(store: Store, id: string, reason: string, nowIso: string): boolean {
  return (
    store.run(
      store.db
        .updateTable('backtests')
        .set({ status: 'failed', error_message: reason, completed_at: nowIso, pid: null })
        .where('id', '=', id)
        .where('status', 'in', ['pending', 'running']),
    ).changes === 1
  );
}
