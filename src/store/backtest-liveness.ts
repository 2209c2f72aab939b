/**
 * Liveness of backtest rows (migration 004): the pid running a row and its heartbeat. Every SQL
 * statement about it lives here.
 */
import type { Store } from './db.ts';

export interface LiveBacktestRow { id: string; status: string; pid: number | null; heartbeat_at: string | null; created_at: string }

/** Rows that claim to be in progress. */
export function backtestsInProgress(store: Store): LiveBacktestRow[] {
  return store.prepare("SELECT id, status, pid, heartbeat_at, created_at FROM backtests WHERE status IN ('pending', 'running')").all() as LiveBacktestRow[];
}

/** Claim a row for this process (at insert or start). */
export function claimBacktest(store: Store, id: string, pid: number, nowIso: string): void {
  store.prepare('UPDATE backtests SET pid = ?, heartbeat_at = ? WHERE id = ?').run(pid, nowIso, id);
}

/** A sign of life, written with the progress. */
export function heartbeatBacktest(store: Store, id: string, progress: number, nowIso: string): void {
  store.prepare('UPDATE backtests SET progress = ?, heartbeat_at = ? WHERE id = ?').run(progress, nowIso, id);
}

/** Mark an in-progress row failed; false when another process got there first. */
export function failInterruptedBacktest(store: Store, id: string, reason: string, nowIso: string): boolean {
  return store.prepare("UPDATE backtests SET status = 'failed', error_message = ?, completed_at = ?, pid = NULL WHERE id = ? AND status IN ('pending', 'running')")
    .run(reason, nowIso, id).changes === 1;
}
