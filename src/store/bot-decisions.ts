/** Writing bots' decisions and, once their orders have filled or failed, the result. */
import { sql, type Insertable } from 'kysely';
import { MONEY_SCALE, PRICE_SCALE, QTY_SCALE } from '../core/money.ts';
import type { Store } from './db.ts';
import { hotInsert } from './hot-insert.ts';
import type { BotDecisionsTable } from './schema.ts';

/** A decision row with every column given (the defaults of `indicators`, `risk_adjusted` and `executed` too). */
export type DecisionRow = { [K in keyof Required<Insertable<BotDecisionsTable>>]: Exclude<Insertable<BotDecisionsTable>[K], undefined> };

/**
 * Insert one decision: a hot statement (built once per connection, no query builder work per
 * row), as a market advance writes one row per bot per closed candle.
 */
export function insertDecision(store: Store, row: DecisionRow): void {
  hotInsert(store, 'bot_decisions', row);
}

/**
 * A fixed-point column as a decimal number in SQL (scales from core/money.ts). DOUBLE PRECISION
 * is an 8-byte float on both databases (PostgreSQL's REAL would be a 4-byte one).
 */
const decimal = (column: string, scale: number) => sql<number>`CAST(${sql.ref(column)} AS DOUBLE PRECISION) / ${scale}`;

/**
 * Dialect-specific: the JSON object constructor is json_object on SQLite and json_build_object on
 * PostgreSQL (same arguments: key, value, ...); neither database knows the other's name. The text
 * stored differs in spacing only, and every reader parses it.
 */
const jsonObject = (store: Store) => sql.raw(store.dialect === 'postgres' ? 'json_build_object' : 'json_object');

/** Decisions whose order has since filled get their result (the fill, in decimal units). */
export function settleFilledDecisions(store: Store): void {
  store.run(
    store.db
      .updateTable('bot_decisions')
      .from('orders as o')
      .set({
        executed: 1,
        execution_result: sql<string>`${jsonObject(store)}('status', 'filled', 'fill_price', ${decimal('o.fill_price', PRICE_SCALE)}, 'size', ${decimal('o.filled_size', QTY_SCALE)},
        'commission', ${decimal('o.commission', MONEY_SCALE)}, 'slippage', ${decimal('o.slippage', PRICE_SCALE)}, 'filled_at', o.filled_at)`,
      })
      .whereRef('o.id', '=', 'bot_decisions.order_id')
      // a literal, not a parameter: the planner must see it to use migration 014's partial index
      .where('bot_decisions.executed', '=', sql.lit(0))
      .where('o.status', '=', 'filled'),
  );
}

/** Decisions whose order was rejected or canceled get its status, rejection code and reason. */
export function settleFailedDecisions(store: Store): void {
  store.run(
    store.db
      .updateTable('bot_decisions')
      .from('orders as o')
      .set({ execution_result: sql<string>`${jsonObject(store)}('status', o.status, 'code', o.reject_code, 'reason', o.reject_reason)` })
      .whereRef('o.id', '=', 'bot_decisions.order_id')
      .where('bot_decisions.execution_result', 'is', null)
      .where('o.status', 'in', ['rejected', 'canceled']),
  );
}

/**
 * An open leg cut at the fill for want of margin: record the size it wanted (decimal). The JSON is
 * edited here rather than in SQL (json_set on SQLite, jsonb_set on PostgreSQL): one code path.
 */
export function markDecisionResized(store: Store, orderId: string, requestedSize: number): void {
  const rows = store.all(
    store.db
      .selectFrom('bot_decisions')
      .select(['id', 'execution_result'])
      .where('order_id', '=', orderId)
      .where('execution_result', 'is not', null),
  );
  for (const r of rows) {
    const result = JSON.parse(r.execution_result ?? '{}') as Record<string, unknown>;
    const edited = { ...result, requested_size: requestedSize, resized: 'cut to the margin available at the fill' };
    store.run(
      store.db
        .updateTable('bot_decisions')
        .set({ execution_result: JSON.stringify(edited) })
        .where('id', '=', r.id),
    );
  }
}
