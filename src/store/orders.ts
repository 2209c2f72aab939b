/** Order queries: by unique id prefix, lists. */
import { sql } from 'kysely';
import { ID_CANDIDATES, normalizeIdPrefix, pickByIdPrefix } from '../core/ids.ts';
import { scopeUserId } from './actor.ts';
import type { Store } from './db.ts';
import { idStartsWith } from './ids.ts';
import type { OrderRow } from './schema.ts';

export type OrderView = OrderRow & { symbol: string; account_name: string };

const base = (store: Store) =>
  store.db
    .selectFrom('orders as o')
    .innerJoin('instruments as i', 'i.id', 'o.instrument_id')
    .innerJoin('accounts as a', 'a.id', 'o.account_id')
    .selectAll('o')
    .select(['i.symbol as symbol', 'a.name as account_name']);

/** An order by its id or a unique prefix of it (core/ids.ts), like git; another user's is not found. */
export function findOrder(store: Store, prefix: string): OrderView {
  const p = normalizeIdPrefix(prefix) ?? '';
  const uid = scopeUserId(store);
  const rows =
    p === ''
      ? []
      : store.all(
          base(store)
            .where(idStartsWith('o.id', p))
            .$if(uid !== null, (q) => q.where('a.user_id', '=', uid as string))
            .limit(ID_CANDIDATES),
        );
  return pickByIdPrefix('order', prefix, rows, 'see `tunicoin orders --status all`');
}

export function listOrders(store: Store, accountId: string, status: 'open' | 'all', limit: number): OrderView[] {
  return store.all(
    base(store)
      .where('o.account_id', '=', accountId)
      .$if(status === 'open', (q) => q.where('o.status', 'in', ['pending', 'partial']))
      .orderBy('o.created_at', 'desc')
      .orderBy(sql`o.rowid`, 'desc')
      .limit(limit),
  );
}
