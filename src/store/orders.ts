/** Order queries: by unique id prefix, lists. */
import { sql } from 'kysely';
import { NotFoundError, UsageError } from '../core/errors.ts';
import { scopeUserId } from './actor.ts';
import type { Store } from './db.ts';
import { idStartsWith } from './ids.ts';
import type { OrderRow } from './schema.ts';

export type OrderView = OrderRow & { symbol: string; account_name: string };

const base = (store: Store) => store.db.selectFrom('orders as o')
  .innerJoin('instruments as i', 'i.id', 'o.instrument_id').innerJoin('accounts as a', 'a.id', 'o.account_id')
  .selectAll('o').select(['i.symbol as symbol', 'a.name as account_name']);

/** An order by its id or a unique prefix of it (at least 4 characters), like git; another user's is not found. */
export function findOrder(store: Store, prefix: string): OrderView {
  const p = prefix.trim().toLowerCase();
  if (!/^[0-9a-f-]{4,36}$/.test(p)) throw new UsageError(`"${prefix}" is not an order id (give at least 4 hex characters of it)`);
  const uid = scopeUserId(store);
  const rows = store.all(base(store).where(idStartsWith('o.id', p)).$if(uid !== null, (q) => q.where('a.user_id', '=', uid as string)).limit(3));
  if (rows.length === 0) throw new NotFoundError('order', prefix, 'see `tunicoin orders --status all`');
  if (rows.length > 1) throw new UsageError(`order id prefix "${prefix}" is ambiguous`, 'give more characters');
  return rows[0] as OrderView;
}

export function listOrders(store: Store, accountId: string, status: 'open' | 'all', limit: number): OrderView[] {
  return store.all(base(store).where('o.account_id', '=', accountId).$if(status === 'open', (q) => q.where('o.status', 'in', ['pending', 'partial']))
    .orderBy('o.created_at', 'desc').orderBy(sql`o.rowid`, 'desc').limit(limit));
}
