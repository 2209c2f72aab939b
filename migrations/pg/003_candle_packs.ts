/**
 * PostgreSQL 003_candle_packs: the packed candle store of SQLite's migrations 012/013 (see
 * src/store/candle-packs.ts): one row per (instrument, timeframe, bucket of 1440 candle periods)
 * holding that bucket's candles as six little-endian float64 columns (time, open, high, low,
 * close, volume; n values each, oldest first), BYTEA here. Reading a year of 1m candles is then
 * 365 packs instead of 525,600 rows the server has to emit.
 *
 * As on SQLite, `candles` stays the source of truth and a pack is only a copy: triggers delete
 * the pack of every bucket an UPDATE (old and new row) or DELETE touches, in the writer's
 * transaction; there is no INSERT trigger (SQLite's 013): the insert paths delete the packs of
 * the buckets they write into (candleInserter, and copyCandles' one DELETE per COPY batch), and
 * the writers repack what they wrote. A bucket without a pack is read from the rows.
 *
 * The triggers are statement-level with transition tables (PostgreSQL >= 10; the store needs 13):
 * the same deletions as SQLite's row triggers, but one DELETE per statement over the distinct
 * buckets it touched, not one per row (a `replace` import deleting a year of rows would otherwise
 * run 525,600 trigger DELETEs).
 *
 * `up` does not pack candles an existing database already holds (SQLite's 012 does): those
 * buckets are read from the rows until a writer repacks them; correct, only slower.
 */
import { sql, type Kysely } from 'kysely';
import { PERIODS, TF_MS } from '../candle-pack-buckets.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** SQL for the bucket of a row of `r`: floor(timestamp / span), as SQLite's 012 computes it (NULL for an unknown timeframe). */
function bucketSql(r: string): string {
  const span = `(CASE ${r}.timeframe ${Object.entries(TF_MS)
    .map(([tf, ms]) => `WHEN '${tf}' THEN ${PERIODS * ms}::bigint`)
    .join(' ')} END)`;
  const t = `${r}."timestamp"`;
  return `((${t} - (((${t} % ${span}) + ${span}) % ${span})) / ${span})`;
}

/** Delete the packs of the buckets of the rows of transition table `r`. */
const drop = (r: string) =>
  `DELETE FROM candle_packs p USING (SELECT DISTINCT ${r}.instrument_id, ${r}.timeframe, ${bucketSql(r)} AS bucket FROM ${r}) b
    WHERE p.instrument_id = b.instrument_id AND p.timeframe = b.timeframe AND p.bucket = b.bucket;`;

export async function up(db: Db): Promise<void> {
  await sql
    .raw(
      `CREATE TABLE "candle_packs" ("instrument_id" text not null, "timeframe" text not null, "bucket" bigint not null,
        "n" bigint not null, "data" bytea not null, "rowid" bigint generated always as identity,
        constraint "fk_candle_packs_instrument_id" foreign key ("instrument_id") references "instruments" ("id") on delete cascade)`,
    )
    .execute(db);
  // no TOAST compression of the packs: pglz takes ~3.5 ms per 1m pack (69 KB of float64, which it
  // only halves), 6 times the rest of the write, and reading them back uncompressed is no slower
  await sql.raw(`ALTER TABLE "candle_packs" ALTER COLUMN "data" SET STORAGE EXTERNAL`).execute(db);
  // the key the readers range-scan and writePack's ON CONFLICT names (a unique index, as on SQLite)
  await sql.raw(`CREATE UNIQUE INDEX "uq_candle_packs_key" ON "candle_packs" ("instrument_id", "timeframe", "bucket")`).execute(db);
  await sql
    .raw(
      `CREATE FUNCTION tunicoin_candles_packs_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${drop('old_rows')} RETURN NULL; END $$`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE FUNCTION tunicoin_candles_packs_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${drop('old_rows')} ${drop('new_rows')} RETURN NULL; END $$`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER tr_candles_packs_delete AFTER DELETE ON candles REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tunicoin_candles_packs_delete()`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER tr_candles_packs_update AFTER UPDATE ON candles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tunicoin_candles_packs_update()`,
    )
    .execute(db);
}

export async function down(db: Db): Promise<void> {
  await sql.raw('DROP TRIGGER tr_candles_packs_update ON candles').execute(db);
  await sql.raw('DROP TRIGGER tr_candles_packs_delete ON candles').execute(db);
  await sql.raw('DROP FUNCTION tunicoin_candles_packs_update()').execute(db);
  await sql.raw('DROP FUNCTION tunicoin_candles_packs_delete()').execute(db);
  await sql.raw('DROP TABLE "candle_packs"').execute(db);
}
