/**
 * Nothing stays `running` after a crash. A backtest row records its pid and a heartbeat; when a
 * command opens the database, a `pending`/`running` row whose process is gone (no such pid, or
 * no heartbeat for STALE_MS, which also covers a pid reused by another program) is marked
 * `failed` with the reason "interrupted". It is reported once: the next open finds it failed.
 * On a PostgreSQL server the pid may be another machine's: there only the heartbeat counts.
 */
import { toIso } from '../core/time.ts';
import { backtestsInProgress, failInterruptedBacktest, type LiveBacktestRow } from '../store/backtest-liveness.ts';
import type { Store } from '../store/db.ts';

/** A live run beats its heartbeat several times a second; ten minutes of silence is a dead run. */
export const STALE_MS = 10 * 60_000;

/** Is the process alive? (signal 0 only checks; EPERM means it exists but is not ours.) */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Why an in-progress row is dead, or null. `pidIsLocal`: the row's pid is a process of this
 * machine (a SQLite file); on a shared PostgreSQL server it may be another machine's, so only
 * the heartbeat tells.
 */
export function whyDead(
  row: LiveBacktestRow,
  now: number,
  alive: (pid: number) => boolean = processAlive,
  pidIsLocal = true,
): string | null {
  if (row.pid === null) return 'no process recorded (started by an older tunicoin)';
  if (pidIsLocal && row.pid !== process.pid && !alive(row.pid)) return `its process ${row.pid} is gone`;
  const beat = Date.parse(row.heartbeat_at ?? row.created_at);
  if (Number.isFinite(beat) && now - beat > STALE_MS) return `no heartbeat since ${row.heartbeat_at ?? row.created_at}`;
  return null;
}

/** Mark the dead in-progress backtests failed; returns those this call marked. */
export function reapInterruptedBacktests(
  store: Store,
  now: number,
  alive?: (pid: number) => boolean,
): Array<{ id: string; reason: string }> {
  const rows = backtestsInProgress(store);
  if (rows.length === 0) return [];
  const out: Array<{ id: string; reason: string }> = [];
  for (const row of rows) {
    const reason = whyDead(row, now, alive, store.dialect === 'sqlite');
    if (reason && store.tx(() => failInterruptedBacktest(store, row.id, `interrupted: ${reason}`, toIso(now))))
      out.push({ id: row.id, reason });
  }
  return out;
}
