/**
 * 011_order_reject_code: a rejected order keeps a stable, machine-readable code next to its
 * human reason (`insufficient_margin`, `size_too_small`, `daily_loss_limit`, ... see
 * core/orders.ts `RejectCode`). Null for orders that were not rejected and for rows written
 * before this migration.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('orders').addColumn('reject_code', 'text').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('orders').dropColumn('reject_code').execute();
}
