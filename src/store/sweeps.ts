/** Stored sweeps (`optimize`): the run and each combination's metrics, by window. */
import { ID_CANDIDATES, normalizeIdPrefix, pickByIdPrefix } from '../core/ids.ts';
import type { Store } from './db.ts';
import { idStartsWith, newId } from './ids.ts';
import { uuidV4 } from './random-ids.ts';
import { scopeUserId } from './actor.ts';
import { sql, type Selectable } from 'kysely';
import type { SweepResultsTable, SweepsTable } from './schema.ts';

export type SweepRow = Selectable<SweepsTable> & { symbol: string };
export type SweepResultRow = Selectable<SweepResultsTable>;

export interface NewSweepResult {
  readonly window: number;
  readonly rank: number | null;
  readonly params: object;
  readonly trades: number;
  readonly metrics: object;
  readonly testMetrics: object | null;
  readonly excluded: string | null;
}

export function insertSweep(
  store: Store,
  s: {
    strategyId: string;
    instrumentId: string;
    userId: string;
    timeframe: string;
    metric: string;
    config: object;
    combinations: number;
    createdAt: string;
    /** A queued job's id: a sweep already stored under it is kept and nothing is written twice. */
    id?: string;
  },
  results: readonly NewSweepResult[],
): string {
  const id = s.id ?? uuidV4(); // random (v4), so that a short prefix tells sweeps apart, like backtest ids
  store.tx(() => {
    const inserted = store.run(
      store.db
        .insertInto('sweeps')
        .values({
          id,
          strategy_id: s.strategyId,
          instrument_id: s.instrumentId,
          user_id: s.userId,
          timeframe: s.timeframe,
          metric: s.metric,
          config: JSON.stringify(s.config),
          combinations: s.combinations,
          created_at: s.createdAt,
        })
        .onConflict((oc) => oc.column('id').doNothing()),
    ).changes;
    if (inserted === 0) return;
    for (const r of results) {
      store.run(
        store.db.insertInto('sweep_results').values({
          id: newId(),
          sweep_id: id,
          window: r.window,
          rank: r.rank,
          params: JSON.stringify(r.params),
          trades: r.trades,
          metrics: JSON.stringify(r.metrics),
          test_metrics: r.testMetrics === null ? null : JSON.stringify(r.testMetrics),
          excluded: r.excluded,
        }),
      );
    }
  });
  return id;
}

export function findSweep(store: Store, prefix: string): SweepRow {
  const p = normalizeIdPrefix(prefix) ?? '';
  // another user's sweep is not found
  const uid = scopeUserId(store);
  const rows =
    p === ''
      ? []
      : store.all(
          store.db
            .selectFrom('sweeps as s')
            .innerJoin('instruments as i', 'i.id', 's.instrument_id')
            .selectAll('s')
            .select('i.symbol')
            .where(idStartsWith('s.id', p))
            .$if(uid !== null, (q) => q.where('s.user_id', '=', uid as string))
            .limit(ID_CANDIDATES),
        );
  return pickByIdPrefix('sweep', prefix, rows, 'see the id printed by `tunicoin optimize`');
}

/** Results in window order, ranked first (by rank), excluded after. */
export function sweepResults(store: Store, sweepId: string): SweepResultRow[] {
  return store.all(
    store.db
      .selectFrom('sweep_results')
      .selectAll()
      .where('sweep_id', '=', sweepId)
      .orderBy('window')
      .orderBy(sql`rank IS NULL`)
      .orderBy('rank')
      .orderBy(sql`rowid`),
  );
}
