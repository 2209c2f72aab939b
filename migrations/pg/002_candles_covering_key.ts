/**
 * PostgreSQL 002_candles_covering_key (PostgreSQL only; SQLite's candles are already a clustered
 * WITHOUT ROWID B-tree, migration 010): the primary key of `candles` INCLUDEs the OHLCV columns,
 * so a read of one series' range (src/store/candles-pg.ts) is an index-only scan of the key's
 * B-tree, in order, with no heap fetch per row once the visibility map marks the pages
 * all-visible (`VACUUM` after the bulk writes, vacuumCandles). Same key columns, same name, no
 * extra index to write: the key's index entries just carry the five numbers.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const KEY = '"instrument_id", "timeframe", "timestamp"';

export async function up(db: Db): Promise<void> {
  await sql.raw(`ALTER TABLE "candles" DROP CONSTRAINT "pk_candles"`).execute(db);
  await sql
    .raw(`ALTER TABLE "candles" ADD CONSTRAINT "pk_candles" PRIMARY KEY (${KEY}) INCLUDE ("open", "high", "low", "close", "volume")`)
    .execute(db);
}

export async function down(db: Db): Promise<void> {
  await sql.raw(`ALTER TABLE "candles" DROP CONSTRAINT "pk_candles"`).execute(db);
  await sql.raw(`ALTER TABLE "candles" ADD CONSTRAINT "pk_candles" PRIMARY KEY (${KEY})`).execute(db);
}
