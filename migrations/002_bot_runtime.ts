/**
 * 002_bot_runtime: what a running bot needs beyond the spec's columns: when it was started on
 * the simulation clock (its strategy is rebuilt from the candles since then) and the leverage
 * its orders use.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('bots').addColumn('started_at', 'integer').execute();
  await db.schema
    .alterTable('bots')
    .addColumn('leverage', 'real', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('bots').dropColumn('leverage').execute();
  await db.schema.alterTable('bots').dropColumn('started_at').execute();
}
