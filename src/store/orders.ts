/** Order queries: by unique id prefix, lists. */
import { ID_CANDIDATES, normalizeIdPrefix, pickByIdPrefix } from '../core/ids.ts';
import { scopeUserId } from './actor.ts';
import type { Store } from './db.ts';
import { likePrefix } from './ids.ts';
import type { OrderRow } from './schema.ts';

export type OrderView = OrderRow & { symbol: string; account_name: string };

const BASE = `SELECT o.*, i.symbol AS symbol, a.name AS account_name FROM orders o
  JOIN instruments i ON i.id = o.instrument_id JOIN accounts a ON a.id = o.account_id`;

/** An order by its id or a unique prefix of it (core/ids.ts), like git; another user's is not found. */
export function findOrder(store: Store, prefix: string): OrderView {
  const p = normalizeIdPrefix(prefix) ?? '';
  const uid = scopeUserId(store);
  const rows = p === '' ? [] : store.prepare(`${BASE} WHERE o.id LIKE ? ESCAPE '\\' AND (? IS NULL OR a.user_id = ?) LIMIT ${ID_CANDIDATES}`).all(likePrefix(p), uid, uid) as OrderView[];
  return pickByIdPrefix('order', prefix, rows, 'see `tunicoin orders --status all`');
}

export function listOrders(store: Store, accountId: string, status: 'open' | 'all', limit: number): OrderView[] {
  const where = status === 'open' ? "AND o.status IN ('pending', 'partial')" : '';
  return store.prepare(`${BASE} WHERE o.account_id = ? ${where} ORDER BY o.created_at DESC, o.rowid DESC LIMIT ?`).all(accountId, limit) as OrderView[];
}
