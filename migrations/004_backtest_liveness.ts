/**
 * 004_backtest_liveness: who is running a backtest. A `pending`/`running` row records the pid
 * of its process and a heartbeat (wall-clock ISO time, refreshed with the progress); on open,
 * a row whose process is gone is marked `failed` ("interrupted") instead of staying running.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('backtests').addColumn('pid', 'integer').execute();
  await db.schema.alterTable('backtests').addColumn('heartbeat_at', 'text').execute();
  await db.schema.createIndex('ix_backtests_status').on('backtests').column('status').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('ix_backtests_status').execute();
  await db.schema.alterTable('backtests').dropColumn('heartbeat_at').execute();
  await db.schema.alterTable('backtests').dropColumn('pid').execute();
}
