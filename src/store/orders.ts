/** Order queries: by unique id prefix, lists. */
import { NotFoundError, UsageError } from '../core/errors.ts';
import { scopeUserId } from './actor.ts';
import type { Store } from './db.ts';
import { likePrefix } from './ids.ts';
import type { OrderRow } from './schema.ts';

export type OrderView = OrderRow & { symbol: string; account_name: string };

const BASE = `SELECT o.*, i.symbol AS symbol, a.name AS account_name FROM orders o
  JOIN instruments i ON i.id = o.instrument_id JOIN accounts a ON a.id = o.account_id`;

/** An order by its id or a unique prefix of it (at least 4 characters), like git; another user's is not found. */
export function findOrder(store: Store, prefix: string): OrderView {
  const p = prefix.trim().toLowerCase();
  if (!/^[0-9a-f-]{4,36}$/.test(p)) throw new UsageError(`"${prefix}" is not an order id (give at least 4 hex characters of it)`);
  const uid = scopeUserId(store);
  const rows = store.prepare(`${BASE} WHERE o.id LIKE ? ESCAPE '\\' AND (? IS NULL OR a.user_id = ?) LIMIT 3`).all(likePrefix(p), uid, uid) as OrderView[];
  if (rows.length === 0) throw new NotFoundError('order', prefix, 'see `tunicoin orders --status all`');
  if (rows.length > 1) throw new UsageError(`order id prefix "${prefix}" is ambiguous`, 'give more characters');
  return rows[0] as OrderView;
}

export function listOrders(store: Store, accountId: string, status: 'open' | 'all', limit: number): OrderView[] {
  const where = status === 'open' ? "AND o.status IN ('pending', 'partial')" : '';
  return store.prepare(`${BASE} WHERE o.account_id = ? ${where} ORDER BY o.created_at DESC, o.rowid DESC LIMIT ?`).all(accountId, limit) as OrderView[];
}
