/** Backtest rows as the acting user sees them (see actor.ts): theirs only, unless --all-users. */
import { ID_CANDIDATES, normalizeIdPrefix, pickByIdPrefix } from '../core/ids.ts';
import { scopeUserId } from './actor.ts';
import { likePrefix } from './ids.ts';
import type { Store } from './db.ts';
import type { Selectable } from 'kysely';
import type { BacktestsTable } from './schema.ts';

export type BacktestView = Selectable<BacktestsTable> & { symbol: string };

export function listUserBacktests(store: Store, limit: number): BacktestView[] {
  const uid = scopeUserId(store);
  return store.prepare(`SELECT b.*, i.symbol FROM backtests b JOIN instruments i ON i.id = b.instrument_id
    WHERE (? IS NULL OR b.user_id = ?) ORDER BY b.created_at DESC, b.rowid DESC LIMIT ?`).all(uid, uid, limit) as BacktestView[];
}

/** A backtest by id or unique id prefix; another user's is not found. */
export function findBacktest(store: Store, idPrefix: string): BacktestView {
  const p = normalizeIdPrefix(idPrefix) ?? '';
  const uid = scopeUserId(store);
  const rows = p === '' ? [] : store.prepare(`SELECT b.*, i.symbol FROM backtests b JOIN instruments i ON i.id = b.instrument_id
    WHERE b.id LIKE ? ESCAPE '\\' AND (? IS NULL OR b.user_id = ?) LIMIT ${ID_CANDIDATES}`).all(likePrefix(p), uid, uid) as BacktestView[];
  return pickByIdPrefix('backtest', idPrefix, rows, 'see `tunicoin backtests`');
}
