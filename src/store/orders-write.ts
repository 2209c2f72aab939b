/**
 * Writing the engine's orders (app/engine-store.ts maps them to rows): the per-fill statements.
 * Built with Kysely on every call: a fill writes a handful of rows, so the builder's cost is
 * small next to SQLite's (see README.md for the figures).
 */
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Store } from './db.ts';
import type { OrdersTable, OrderRow } from './schema.ts';

export type NewOrderRow = Insertable<OrdersTable>;
export type OrderChange = Updateable<OrdersTable>;

export function insertOrder(store: Store, row: NewOrderRow): void {
  store.run(store.db.insertInto('orders').values(row));
}

export function updateOrder(store: Store, id: string, change: OrderChange): void {
  store.run(store.db.updateTable('orders').set(change).where('id', '=', id));
}

/** The working (pending or partial) orders, oldest first; of some accounts only, or all. */
export function workingOrders(store: Store, accountIds?: readonly string[]): OrderRow[] {
  return store.all(
    store.db
      .selectFrom('orders')
      .selectAll()
      .where('status', 'in', ['pending', 'partial'])
      .$if(accountIds !== undefined, (q) => q.where('account_id', 'in', accountIds as string[]))
      .orderBy('created_at')
      .orderBy(sql`rowid`),
  );
}
