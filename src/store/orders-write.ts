/**
 * Writing the engine's orders (app/engine-store.ts maps them to rows): the per-fill statements.
 * The insert and the working-order read are hot statements (db.ts); an update's column list
 * varies with the change, so it is built with Kysely on every call.
 */
import { sql, type Insertable, type Updateable } from 'kysely';
import { hotInsert } from './hot-insert.ts';
import { param, type Store } from './db.ts';
import type { OrdersTable, OrderRow } from './schema.ts';

export type NewOrderRow = Insertable<OrdersTable>;
export type OrderChange = Updateable<OrdersTable>;

/** A new order row: a hot statement per column list (the engine always writes the same columns). */
export function insertOrder(store: Store, row: NewOrderRow): void {
  hotInsert(store, 'orders', row);
}

export function updateOrder(store: Store, id: string, change: OrderChange): void {
  store.run(store.db.updateTable('orders').set(change).where('id', '=', id));
}

/** The working (pending or partial) orders, oldest first; of some accounts only, or all. */
export function workingOrders(store: Store, accountIds?: readonly string[]): OrderRow[] {
  // a hot statement per number of accounts (its `in` list has that many placeholders)
  const n = accountIds?.length ?? -1;
  return store
    .hotStatement(`orders.working:${n}`, (db) =>
      db
        .selectFrom('orders')
        .selectAll()
        .where('status', 'in', [param<string>(), param<string>()])
        .$if(n >= 0, (q) =>
          q.where(
            'account_id',
            'in',
            Array.from({ length: n }, () => param<string>()),
          ),
        )
        .orderBy('created_at')
        .orderBy(sql`rowid`),
    )
    .all('pending', 'partial', ...(accountIds ?? []));
}
