/**
 * 007_order_fill_sizing: what a strategy's order needs to survive between advance slices while
 * it waits for the next open: whether it only reduces the position (a reversal's close leg),
 * how its size is resolved at the fill (`{"kind":"all"|"fraction","fraction":f,"max":n|null}`),
 * and the size it wanted when margin cut it there. A decision that reverses a position places a
 * close leg before its open leg: `bot_decisions.close_order_id` links that leg to its decision.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('orders')
    .addColumn('reduce_only', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('orders').addColumn('size_at_fill', 'text').execute();
  await db.schema.alterTable('orders').addColumn('requested_size', 'integer').execute();
  await db.schema.alterTable('bot_decisions').addColumn('close_order_id', 'text').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('bot_decisions').dropColumn('close_order_id').execute();
  await db.schema.alterTable('orders').dropColumn('requested_size').execute();
  await db.schema.alterTable('orders').dropColumn('size_at_fill').execute();
  await db.schema.alterTable('orders').dropColumn('reduce_only').execute();
}
