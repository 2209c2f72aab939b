/**
 * The bulk candle paths on PostgreSQL (the SQLite ones are multi-row INSERTs and packs,
 * candles.ts and candle-packs.ts): writes are one `COPY ... FROM STDIN` per batch, reads one
 * `COPY (SELECT ...) TO STDOUT (FORMAT binary)` parsed in the bridge's worker thread straight
 * into the six column arrays (bridge.ts copyOutColumns), so no row object is made on either side.
 *
 * PostgreSQL-only SQL on purpose, kept here behind the candle repository: COPY is PostgreSQL's
 * bulk path and takes no parameters, so the few values of a read are written as literals
 * (`literal` / `numberLiteral`, below).
 */
import { emptyCandles, type Candles } from '../core/candles.ts';
import type { PgStore } from './pg/store.ts';

const COLUMNS = 'id, instrument_id, timeframe, "timestamp", open, high, low, close, volume';

/** Session-local staging table of a merge (INSERT ... ON CONFLICT DO NOTHING after the COPY). */
const STAGING = 'tunicoin_candles_in';

/** A text field of COPY's text format: backslash, tab, newline and carriage return escaped. */
const field = (s: string): string =>
  /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] as string) : s;

/**
 * COPY rows [from, from + n) of `c` as candles of one instrument and timeframe, each with a new
 * id from `newId` (called once per row, in row order, as the SQLite path does). Numbers are
 * written with String(): the shortest text that reads back as the same float64. `orIgnore`
 * (an import's merge) copies into a staging table, then inserts what does not conflict; otherwise
 * the rows go straight into `candles` (a conflict fails the COPY, as it fails a plain INSERT).
 * Returns the rows written.
 */
export function copyCandles(
  store: PgStore,
  instrumentId: string,
  tf: string,
  c: Candles,
  from: number,
  n: number,
  newId: () => string,
  orIgnore: boolean,
): number {
  if (n <= 0) return 0;
  const prefix = `\t${field(instrumentId)}\t${field(tf)}\t`;
  const { time, open, high, low, close, volume } = c;
  const lines = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    const j = from + k;
    lines[k] = `${field(newId())}${prefix}${time[j]}\t${open[j]}\t${high[j]}\t${low[j]}\t${close[j]}\t${volume[j]}\n`;
  }
  const data = lines.join('');
  // VACUUM (vacuumCandles, after the commit) marks a page all-visible only once the inserting
  // commit's WAL is flushed; under synchronous_commit = off it may not be yet, so this
  // transaction's commit waits for its flush (one flush per bulk write)
  if (store.inTransaction) store.exec('SET LOCAL synchronous_commit = on');
  if (!orIgnore) return store.copyIn(`COPY candles (${COLUMNS}) FROM STDIN`, data);
  // a temp table lives as long as the connection, or until the transaction creating it rolls back
  store.exec(
    `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (id text, instrument_id text, timeframe text, "timestamp" bigint,
      open double precision, high double precision, low double precision, close double precision, volume double precision)`,
  );
  store.exec(`TRUNCATE ${STAGING}`);
  store.copyIn(`COPY ${STAGING} (${COLUMNS}) FROM STDIN`, data);
  const written = store.query(`INSERT INTO candles (${COLUMNS}) SELECT ${COLUMNS} FROM ${STAGING} ON CONFLICT DO NOTHING`).rowCount;
  store.exec(`TRUNCATE ${STAGING}`);
  return written;
}

/** A string as an SQL literal valid whatever standard_conforming_strings says (E'...'). */
export function literal(s: string): string {
  if (s.includes('\0')) throw new Error('a NUL character in an SQL literal');
  return `E'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A finite number as an SQL literal. */
export function numberLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  return String(x);
}

/**
 * Candles of one instrument and timeframe with from <= timestamp <= to (< to when not
 * `inclusive`), oldest first, at most `max` (null: all): one binary COPY read into column arrays
 * in the bridge's worker, transferred back whole.
 */
export function readCandleColumns(
  store: PgStore,
  instrumentId: string,
  tf: string,
  from: number,
  to: number,
  inclusive: boolean,
  max: number | null,
): Candles {
  if (max !== null && max <= 0) return emptyCandles(0);
  const sql =
    `COPY (SELECT "timestamp", open, high, low, close, volume FROM candles` +
    ` WHERE instrument_id = ${literal(instrumentId)} AND timeframe = ${literal(tf)}` +
    ` AND "timestamp" >= ${numberLiteral(from)} AND "timestamp" ${inclusive ? '<=' : '<'} ${numberLiteral(to)}` +
    ` ORDER BY "timestamp"${max === null ? '' : ` LIMIT ${numberLiteral(max)}`}) TO STDOUT (FORMAT binary)`;
  const { columns } = store.copyOutColumns(sql, ['int8', 'float8', 'float8', 'float8', 'float8', 'float8']);
  const [time, open, high, low, close, volume] = columns as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return { time, open, high, low, close, volume };
}

/**
 * After a bulk write of candles (seed, import), outside any transaction (VACUUM cannot run in
 * one): `VACUUM (ANALYZE) candles` marks the written pages all-visible in the visibility map, so
 * the next series read is an index-only scan of the covering primary key (migrations/pg/002) with
 * no heap fetch per row, and refreshes the planner's statistics. A no-op inside a transaction
 * (autovacuum does it later then).
 */
export function vacuumCandles(store: PgStore): void {
  if (!store.inTransaction) store.exec('VACUUM (ANALYZE) candles');
}

/**
 * The packs (migrations/pg/003) of one instrument and timeframe with b0 <= bucket <= b1, in bucket
 * order, as [bucket, n, data]: one binary COPY, the bytea fields returned as views of the one
 * buffer the bridge transfers back (a plain SELECT would send them as hex text, decoded in the
 * worker: ~4 times slower for a year of 1m packs).
 */
export function readPackBlobs(store: PgStore, instrumentId: string, tf: string, b0: number, b1: number): [number, number, Uint8Array][] {
  const sql =
    `COPY (SELECT bucket, n, data FROM candle_packs WHERE instrument_id = ${literal(instrumentId)} AND timeframe = ${literal(tf)}` +
    ` AND bucket >= ${numberLiteral(b0)} AND bucket <= ${numberLiteral(b1)} ORDER BY bucket) TO STDOUT (FORMAT binary)`;
  const { rows, width, bytes, fields } = store.copyOutFields(sql);
  if (rows > 0 && width !== 3) throw new Error(`candle_packs COPY returned ${width} columns, expected 3`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const int8 = (at: number): number => dv.getInt32(at) * 4294967296 + dv.getUint32(at + 4);
  const out = new Array<[number, number, Uint8Array]>(rows);
  for (let r = 0; r < rows; r++) {
    const f = r * 6; // 3 fields of [start, length]
    const start = fields[f + 4] as number;
    out[r] = [int8(fields[f] as number), int8(fields[f + 2] as number), bytes.subarray(start, start + (fields[f + 5] as number))];
  }
  return out;
}
