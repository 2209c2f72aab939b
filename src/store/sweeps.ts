/** Stored sweeps (`optimize`): the run and each combination's metrics, by window. */
import { ID_CANDIDATES, normalizeIdPrefix, pickByIdPrefix } from '../core/ids.ts';
import type { Store } from './db.ts';
import { randomUUID } from 'node:crypto';
import { likePrefix, newId } from './ids.ts';
import { scopeUserId } from './actor.ts';
import type { SweepResultsTable, SweepsTable } from './schema.ts';

export type SweepRow = SweepsTable & { symbol: string };
export type SweepResultRow = Omit<SweepResultsTable, 'window'> & { window: number };

export interface NewSweepResult {
  readonly window: number; readonly rank: number | null; readonly params: object; readonly trades: number;
  readonly metrics: object; readonly testMetrics: object | null; readonly excluded: string | null;
}

export function insertSweep(store: Store, s: { strategyId: string; instrumentId: string; userId: string; timeframe: string; metric: string; config: object; combinations: number; createdAt: string }, results: readonly NewSweepResult[]): string {
  const id = randomUUID(); // random (v4), so that a short prefix tells sweeps apart, like backtest ids
  store.tx(() => {
    store.prepare('INSERT INTO sweeps (id, strategy_id, instrument_id, user_id, timeframe, metric, config, combinations, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, s.strategyId, s.instrumentId, s.userId, s.timeframe, s.metric, JSON.stringify(s.config), s.combinations, s.createdAt);
    const ins = store.prepare('INSERT INTO sweep_results (id, sweep_id, window, rank, params, trades, metrics, test_metrics, excluded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of results) {
      ins.run(newId(), id, r.window, r.rank, JSON.stringify(r.params), r.trades, JSON.stringify(r.metrics), r.testMetrics === null ? null : JSON.stringify(r.testMetrics), r.excluded);
    }
  });
  return id;
}

export function findSweep(store: Store, prefix: string): SweepRow {
  const p = normalizeIdPrefix(prefix) ?? '';
  // another user's sweep is not found
  const uid = scopeUserId(store);
  const rows = p === '' ? [] : store.prepare(`SELECT s.*, i.symbol FROM sweeps s JOIN instruments i ON i.id = s.instrument_id
    WHERE s.id LIKE ? ESCAPE '\\' AND (? IS NULL OR s.user_id = ?) LIMIT ${ID_CANDIDATES}`).all(likePrefix(p), uid, uid) as SweepRow[];
  return pickByIdPrefix('sweep', prefix, rows, 'see the id printed by `tunicoin optimize`');
}

/** Results in window order, ranked first (by rank), excluded after. */
export function sweepResults(store: Store, sweepId: string): SweepResultRow[] {
  return store.prepare('SELECT * FROM sweep_results WHERE sweep_id = ? ORDER BY window, rank IS NULL, rank, rowid').all(sweepId) as SweepResultRow[];
}
