/** Backtest rows as the acting user sees them (see actor.ts): theirs only, unless --all-users. */
import { ID_CANDIDATES, normalizeIdPrefix, pickByIdPrefix } from '../core/ids.ts';
import { scopeUserId } from './actor.ts';
import { idStartsWith } from './ids.ts';
import type { Store } from './db.ts';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { BacktestsTable } from './schema.ts';

export type BacktestView = Selectable<BacktestsTable> & { symbol: string };

const withSymbol = (store: Store, uid: string | null) =>
  store.db
    .selectFrom('backtests as b')
    .innerJoin('instruments as i', 'i.id', 'b.instrument_id')
    .selectAll('b')
    .select('i.symbol')
    .$if(uid !== null, (q) => q.where('b.user_id', '=', uid as string));

export function listUserBacktests(store: Store, limit: number): BacktestView[] {
  const uid = scopeUserId(store);
  return store.all(
    withSymbol(store, uid)
      .orderBy('b.created_at', 'desc')
      .orderBy(sql`b.rowid`, 'desc')
      .limit(limit),
  );
}

/** A backtest by id or unique id prefix; another user's is not found. */
export function findBacktest(store: Store, idPrefix: string): BacktestView {
  const p = normalizeIdPrefix(idPrefix) ?? '';
  const uid = scopeUserId(store);
  const rows = p === '' ? [] : store.all(withSymbol(store, uid).where(idStartsWith('b.id', p)).limit(ID_CANDIDATES));
  return pickByIdPrefix('backtest', idPrefix, rows, 'see `tunicoin backtests`');
}

export function insertBacktest(store: Store, row: Insertable<BacktestsTable>): void {
  store.run(store.db.insertInto('backtests').values(row));
}

/**
 * Insert a finished row under a given id (a queued job's id), unless a row with that id exists:
 * a retried job whose result was already committed writes nothing twice. True when inserted.
 */
export function insertBacktestOnce(store: Store, row: Insertable<BacktestsTable>): boolean {
  return (
    store.run(
      store.db
        .insertInto('backtests')
        .values(row)
        .onConflict((oc) => oc.column('id').doNothing()),
    ).changes === 1
  );
}

export type BacktestChange = Updateable<BacktestsTable>;

export function updateBacktest(store: Store, id: string, change: BacktestChange): void {
  store.run(store.db.updateTable('backtests').set(change).where('id', '=', id));
}
