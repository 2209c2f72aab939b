/** Writing the engine's positions and the derived account columns (app/engine-store.ts maps them). */
import type { Insertable, Updateable } from 'kysely';
import { param, type Store } from './db.ts';
import { hotInsert } from './hot-insert.ts';
import type { AccountKind, AccountRow, PositionRow, PositionsTable } from './schema.ts';

export type NewPositionRow = Insertable<PositionsTable>;
export type PositionChange = Updateable<PositionsTable>;

/** A new position row: a hot statement per column list (the engine always writes the same columns). */
export function insertPosition(store: Store, row: NewPositionRow): void {
  hotInsert(store, 'positions', row);
}

export function updatePosition(store: Store, id: string, change: PositionChange): void {
  store.run(store.db.updateTable('positions').set(change).where('id', '=', id));
}

/** The open positions; of some accounts only, or all. */
export function openPositions(store: Store, accountIds?: readonly string[]): PositionRow[] {
  // a hot statement per number of accounts (its `in` list has that many placeholders)
  const n = accountIds?.length ?? -1;
  return store
    .hotStatement(`positions.open:${n}`, (db) =>
      db
        .selectFrom('positions')
        .selectAll()
        .where('is_open', '=', param<0 | 1>())
        .$if(n >= 0, (q) =>
          q.where(
            'account_id',
            'in',
            Array.from({ length: n }, () => param<string>()),
          ),
        ),
    )
    .all(1, ...(accountIds ?? []));
}

/** The trading accounts; some only, or all. */
export function traderAccountRows(store: Store, ids?: readonly string[]): AccountRow[] {
  // a hot statement per number of accounts (its `in` list has that many placeholders)
  const n = ids?.length ?? -1;
  return store
    .hotStatement(`accounts.traders:${n}`, (db) =>
      db
        .selectFrom('accounts')
        .selectAll()
        .where('kind', '=', param<AccountKind>())
        .$if(n >= 0, (q) =>
          q.where(
            'id',
            'in',
            Array.from({ length: n }, () => param<string>()),
          ),
        ),
    )
    .all('trader', ...(ids ?? []));
}

/** The derived columns of an account (equity, margin), refreshed after engine work. */
export function updateAccountMarks(
  store: Store,
  id: string,
  m: { equity: number; marginUsed: number; available: number },
  nowIso: string,
): void {
  store
    .hotStatement('accounts.marks', (db) =>
      db
        .updateTable('accounts')
        .set({ equity: param<number>(), margin_used: param<number>(), margin_available: param<number>(), updated_at: param<string>() })
        .where('id', '=', param<string>()),
    )
    .run(m.equity, m.marginUsed, m.available, nowIso, id);
}

/** A position's mark and unrealised PnL. */
export function updatePositionMark(store: Store, id: string, currentPrice: number, unrealizedPnl: number): void {
  store
    .hotStatement('positions.mark', (db) =>
      db
        .updateTable('positions')
        .set({ current_price: param<number>(), unrealized_pnl: param<number>() })
        .where('id', '=', param<string>()),
    )
    .run(currentPrice, unrealizedPnl, id);
}
