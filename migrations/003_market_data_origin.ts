/**
 * 003_market_data_origin: where an instrument's candles come from.
 * - `data_origin`: 'synthetic' (the seeded generator, extended as the clock advances) or
 *   'imported' (real history, never synthesized). Instruments created by `seed` are synthetic;
 *   every other one (added with `instruments add`) is imported.
 * - `synthetic_from`: for an imported instrument whose replay was continued past its data with
 *   `market advance --extend synthetic`, the time of the first generated candle (NULL otherwise).
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const SEEDED = ['BTC-USD', 'ETH-USD', 'BTC-FUT', 'SPX-FUT', 'EURUSD'];

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('instruments')
    .addColumn('data_origin', 'text', (c) =>
      c
        .notNull()
        .defaultTo('imported')
        .check(sql`data_origin in ('synthetic', 'imported')`),
    )
    .execute();
  await db.schema.alterTable('instruments').addColumn('synthetic_from', 'integer').execute();
  // An existing database: the spec's five instruments came from `seed` when a seed ran.
  await db
    .updateTable('instruments')
    .set({ data_origin: 'synthetic' })
    .where('symbol', 'in', SEEDED)
    .where(sql<boolean>`exists (select 1 from settings where key = 'seeded_at')`)
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('instruments').dropColumn('synthetic_from').execute();
  await db.schema.alterTable('instruments').dropColumn('data_origin').execute();
}
