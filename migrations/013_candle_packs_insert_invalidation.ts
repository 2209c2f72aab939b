/**
 * 013_candle_packs_insert_invalidation: the packed store's INSERT trigger (migration 012) goes.
 * It ran a DELETE on candle_packs for every inserted row (~1/4 of the CPU cost of storing a
 * candle). Every insert into `candles` goes through one repository path (candleInserter in
 * src/store/candles.ts), which now deletes the pack of each bucket it writes into, once per
 * bucket, in the writer's transaction; the writers then repack what they wrote. The UPDATE
 * and DELETE triggers stay (no hot path updates or deletes candles row by row).
 */
import { sql, type Kysely } from 'kysely';
import { PERIODS, TF_MS } from './candle-pack-buckets.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await sql.raw('DROP TRIGGER IF EXISTS tr_candles_packs_insert').execute(db);
}

export async function down(db: Db): Promise<void> {
  // the packs written under 013 are exact (candleInserter invalidates, the writers repack)
  const span = `(CASE NEW.timeframe ${Object.entries(TF_MS)
    .map(([tf, ms]) => `WHEN '${tf}' THEN ${PERIODS * ms}`)
    .join(' ')} END)`;
  const t = 'CAST(NEW.timestamp AS INTEGER)';
  const bucket = `((${t} - (((${t} % ${span}) + ${span}) % ${span})) / ${span})`;
  await sql
    .raw(
      `CREATE TRIGGER tr_candles_packs_insert AFTER INSERT ON candles BEGIN DELETE FROM candle_packs WHERE instrument_id = NEW.instrument_id AND timeframe = NEW.timeframe AND bucket = ${bucket}; END`,
    )
    .execute(db);
}
