/**
 * 012_candle_packs: a packed copy of the candles for reading at memory speed. One row per
 * (instrument, timeframe, bucket of 1440 candle periods: a UTC day of 1m candles, 60 days of
 * 1h ones...) holding that bucket's candles as six little-endian float64 columns (time, open,
 * high, low, close, volume; n values each, oldest first). See src/store/candle-packs.ts.
 *
 * The spec's `candles` table stays the source of truth, complete and unchanged. Triggers on it
 * delete the pack of any bucket an INSERT, UPDATE or DELETE touches, in the writer's own
 * transaction, so a pack never outlives a change to its rows (readers fall back to the rows
 * of a bucket without a pack). `up` packs the candles an existing file already holds.
 */
import { sql, type Kysely } from 'kysely';
import { PERIODS, TF_MS } from './candle-pack-buckets.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** Packs hold native float64 bytes: built only on little-endian hosts (readers then use the rows). */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** SQL for the bucket of a row (`r` is NEW or OLD): floor(trunc(timestamp) / span). */
function bucketSql(r: 'NEW' | 'OLD'): string {
  const span = `(CASE ${r}.timeframe ${Object.entries(TF_MS)
    .map(([tf, ms]) => `WHEN '${tf}' THEN ${PERIODS * ms}`)
    .join(' ')} END)`;
  const t = `CAST(${r}.timestamp AS INTEGER)`;
  return `((${t} - (((${t} % ${span}) + ${span}) % ${span})) / ${span})`;
}

const drop = (r: 'NEW' | 'OLD') =>
  `DELETE FROM candle_packs WHERE instrument_id = ${r}.instrument_id AND timeframe = ${r}.timeframe AND bucket = ${bucketSql(r)};`;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('candle_packs')
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instruments.id').onDelete('cascade'))
    .addColumn('timeframe', 'text', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('uq_candle_packs_key')
    .on('candle_packs')
    .columns(['instrument_id', 'timeframe', 'bucket'])
    .unique()
    .execute();
  await sql.raw(`CREATE TRIGGER tr_candles_packs_insert AFTER INSERT ON candles BEGIN ${drop('NEW')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER tr_candles_packs_delete AFTER DELETE ON candles BEGIN ${drop('OLD')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER tr_candles_packs_update AFTER UPDATE ON candles BEGIN ${drop('OLD')} ${drop('NEW')} END`).execute(db);
  if (LITTLE_ENDIAN) await packAll(db);
}

export async function down(db: Db): Promise<void> {
  for (const t of ['update', 'delete', 'insert']) await sql.raw(`DROP TRIGGER tr_candles_packs_${t}`).execute(db);
  await db.schema.dropTable('candle_packs').execute();
}

interface Row {
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Pack every bucket of every (instrument, timeframe), reading the rows a few buckets at a time. */
async function packAll(db: Db): Promise<void> {
  const series = (
    await sql<{ instrument_id: string; timeframe: string }>`SELECT id AS instrument_id, tf.timeframe FROM instruments,
    (SELECT column1 AS timeframe FROM (VALUES ${sql.join(Object.keys(TF_MS).map((tf) => sql`(${tf})`))})) AS tf
    WHERE EXISTS (SELECT 1 FROM candles WHERE candles.instrument_id = instruments.id AND candles.timeframe = tf.timeframe)`.execute(db)
  ).rows;
  for (const { instrument_id: id, timeframe: tf } of series) {
    const span = PERIODS * (TF_MS[tf] as number);
    let from = -8.64e15;
    for (;;) {
      const first = (
        await sql<{
          t: number;
        }>`SELECT timestamp AS t FROM candles WHERE instrument_id = ${id} AND timeframe = ${tf} AND timestamp >= ${from}
        ORDER BY timestamp LIMIT 1`.execute(db)
      ).rows[0];
      if (!first) break;
      const b0 = Math.floor(Math.trunc(first.t) / span);
      const end = (b0 + 30) * span; // 30 buckets per read
      const rows = (
        await sql<Row>`SELECT timestamp, open, high, low, close, volume FROM candles WHERE instrument_id = ${id} AND timeframe = ${tf}
        AND timestamp >= ${b0 * span} AND timestamp < ${end} ORDER BY timestamp`.execute(db)
      ).rows;
      let i = 0;
      while (i < rows.length) {
        const b = Math.floor(Math.trunc((rows[i] as Row).timestamp) / span);
        let j = i + 1;
        while (j < rows.length && Math.floor(Math.trunc((rows[j] as Row).timestamp) / span) === b) j++;
        const n = j - i;
        const f = new Float64Array(6 * n);
        for (let k = 0; k < n; k++) {
          const r = rows[i + k] as Row;
          f[k] = r.timestamp + 0;
          f[n + k] = r.open + 0;
          f[2 * n + k] = r.high + 0;
          f[3 * n + k] = r.low + 0;
          f[4 * n + k] = r.close + 0;
          f[5 * n + k] = r.volume + 0;
        }
        await sql`INSERT INTO candle_packs (instrument_id, timeframe, bucket, n, data) VALUES (${id}, ${tf}, ${b}, ${n}, ${Buffer.from(f.buffer)})`.execute(
          db,
        );
        i = j;
      }
      from = end;
    }
  }
}
