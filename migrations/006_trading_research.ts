/**
 * 006_trading_research (issue 15): what amend, trailing stops, partial fills and stored sweeps need.
 *
 * - instruments.max_participation: the largest share of a 1m candle's volume one fill may take
 *   (0 = no cap, the default: fills are whole, as before).
 * - orders / positions: a trailing stop is a distance, absolute (`trail_distance`, Price units) or
 *   relative (`trail_ppm`, parts per million of the anchor), and the anchor: the best mid since
 *   the entry (or since the order was placed). On an order, `sl_trail_*` is the trailing
 *   stop-loss the fill puts on the position; `trail_*` makes the order itself a trailing stop.
 * - amendments: the history of `order amend` and `position set` (old and new values, JSON).
 * - sweeps / sweep_results: an `optimize` run and each parameter combination's metrics.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('instruments')
    .addColumn('max_participation', 'real', (c) => c.notNull().defaultTo(0))
    .execute();
  for (const col of ['trail_distance', 'trail_ppm', 'trail_anchor', 'sl_trail_distance', 'sl_trail_ppm']) {
    await db.schema.alterTable('orders').addColumn(col, 'integer').execute();
  }
  for (const col of ['trail_distance', 'trail_ppm', 'trail_anchor']) {
    await db.schema.alterTable('positions').addColumn(col, 'integer').execute();
  }
  await db.schema
    .createTable('amendments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('order_id', 'text', (c) => c.references('orders.id'))
    .addColumn('position_id', 'text', (c) => c.references('positions.id'))
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('after', 'text', (c) => c.notNull())
    .addColumn('clock_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_amendments_order_id').on('amendments').column('order_id').execute();
  await db.schema.createIndex('ix_amendments_position_id').on('amendments').column('position_id').execute();
  await db.schema
    .createTable('sweeps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('strategy_id', 'text', (c) => c.notNull())
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instruments.id'))
    // whose sweep it is: another user's is "not found", like a backtest
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('timeframe', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('combinations', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sweep_results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sweep_id', 'text', (c) => c.notNull().references('sweeps.id').onDelete('cascade'))
    .addColumn('window', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rank', 'integer')
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('trades', 'integer', (c) => c.notNull())
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('test_metrics', 'text')
    .addColumn('excluded', 'text')
    .execute();
  await db.schema.createIndex('ix_sweep_results_sweep_id').on('sweep_results').column('sweep_id').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('sweep_results').execute();
  await db.schema.dropTable('sweeps').execute();
  await db.schema.dropTable('amendments').execute();
  for (const col of ['trail_anchor', 'trail_ppm', 'trail_distance']) await db.schema.alterTable('positions').dropColumn(col).execute();
  for (const col of ['sl_trail_ppm', 'sl_trail_distance', 'trail_anchor', 'trail_ppm', 'trail_distance'])
    await db.schema.alterTable('orders').dropColumn(col).execute();
  await db.schema.alterTable('instruments').dropColumn('max_participation').execute();
}
