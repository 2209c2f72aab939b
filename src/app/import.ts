/**
 * `tunicoin import candles`: stream a CSV (plain or gzip) through the row checker into the
 * candles table, in ONE write transaction: a refused or interrupted import writes nothing.
 *
 * Memory stays constant whatever the file size: the file is read in chunks, split into records,
 * checked row by row and written in batches of column arrays. A file without any quote
 * character is split directly (market/csv-lines.ts, the fast path); at the first quote the
 * transaction is rolled back and the file is read again through csv-parse's stream parser
 * (fed and drained synchronously), which handles RFC 4180 quoting.
 *
 * Rules (real data is never mixed silently with other rows):
 * - an instrument holds one timeframe: rows of another timeframe would shadow or be shadowed
 *   by the stored ones, so they are refused;
 * - a synthetic instrument, or a file overlapping the stored range, is refused unless `merge`
 *   (only new timestamps are added) or `replace` (the file's range is replaced);
 * - by default any invalid row refuses the whole file; `skipInvalid` imports the valid ones.
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { parse, CsvError } from 'csv-parse';
import { ConflictError, TunicoinError, UsageError } from '../core/errors.ts';
import { maxCandlePrice } from '../core/market-data.ts';
import { toIso, type Timeframe } from '../core/time.ts';
import { emptyCandles } from '../core/candles.ts';
import { CandleRowChecker, LayoutError, sniffDelimiter, type CsvLayout, type RowError } from '../market/csv-import.ts';
import { PlainCsvSplitter } from '../market/csv-lines.ts';
import type { Store } from '../store/db.ts';
import { findInstrument } from '../store/instruments.ts';
import { beginWrite, CandleWriter, candleSpan, storedTimeframes, type ImportMode } from '../store/market-data.ts';
import { settleCandles } from '../store/candles.ts';

export interface ImportOptions {
  readonly file: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly mode: ImportMode;
  readonly skipInvalid: boolean;
  readonly adjusted: boolean;
  readonly onProgress?: (doneBytes: number, totalBytes: number) => void;
  /** Checked between chunks: true stops and writes nothing (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

export interface ImportReport {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly layout: CsvLayout;
  readonly mode: ImportMode;
  readonly rows: number;
  readonly imported: number;
  readonly alreadyStored: number;
  readonly replaced: number;
  readonly skipped: number;
  readonly skippedRows: RowError[];
  readonly rounded: number;
  readonly from: string;
  readonly to: string;
  readonly gzip: boolean;
}

const fmtErrors = (errors: readonly RowError[], total: number): string =>
  `${errors
    .slice(0, 5)
    .map((e) => `line ${e.line}: ${e.message}`)
    .join('; ')}${total > 5 ? `; and ${total - 5} more` : ''}`;

export class InvalidRowsError extends UsageError {
  constructor(
    readonly file: string,
    readonly errors: RowError[],
    total: number,
  ) {
    super(`${file}: ${total} invalid row(s), nothing imported: ${fmtErrors(errors, total)}`, 'fix them, or pass --skip-invalid');
    this.name = 'InvalidRowsError';
  }
}

const BATCH = 4096;

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Thrown by the fast path at the first quote character: the file is parsed again by csv-parse. */
class NeedsFullParser extends Error {}

export async function importCandles(store: Store, opts: ImportOptions): Promise<ImportReport> {
  try {
    return await importOnce(store, opts, true);
  } catch (e) {
    if (e instanceof NeedsFullParser) return importOnce(store, opts, false);
    throw e;
  }
}

async function importOnce(store: Store, opts: ImportOptions, fast: boolean): Promise<ImportReport> {
  const { file, timeframe: tf } = opts;
  let size: number;
  let gzip: boolean;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`${file} is not a file`);
    size = st.size;
    gzip = isGzip(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TunicoinError('not-found', `no such file: ${file}`); // an unknown file: exit 3, like an unknown symbol
    throw new UsageError(`cannot read ${file}: ${code ?? (e as Error).message}`);
  }
  const inst = findInstrument(store, opts.symbol);
  const checker = new CandleRowChecker({
    timeframe: tf,
    tick: inst.tickSize,
    maxPrice: maxCandlePrice(inst.contractSize),
    adjusted: opts.adjusted,
  });
  const tx = beginWrite(store);
  try {
    const stored = storedTimeframes(store, inst.id);
    const other = stored.find((t) => t !== tf);
    if (other) {
      throw new ConflictError(
        `${inst.symbol} holds ${other} candles; ${tf} rows would be mixed with them (one timeframe per instrument), nothing imported`,
        `import into another instrument, or delete them first with \`tunicoin candles delete ${inst.symbol}\``,
      );
    }
    if (inst.origin === 'synthetic' && opts.mode === 'refuse') {
      throw new ConflictError(
        `${inst.symbol} is a synthetic instrument; real rows would be mixed with generated ones, nothing imported`,
        'add an instrument for the real data (`tunicoin instruments add SYMBOL`), or pass --merge / --replace to mix them on purpose',
      );
    }
    const bounds = stored.length ? candleSpan(store, inst.id, tf) : undefined;
    const writer = new CandleWriter(store, inst.id, tf, opts.mode);
    const batch = emptyCandles(BATCH);
    let k = 0;
    let first = NaN;
    let last = NaN;
    let count = 0;
    const overlap = (line: number, t: number): never => {
      const stored = `${toIso(bounds?.first ?? 0)} to ${toIso(bounds?.last ?? 0)}`;
      throw new ConflictError(
        `${inst.symbol} already has ${tf} candles from ${stored}; the file overlaps them (line ${line}: ${toIso(t)}), nothing imported`,
        'pass --merge to add only new timestamps, or --replace to replace that range',
      );
    };
    const onRecord = (record: string[], line: number): void => {
      if (!checker.accept(record, line, batch, k)) return;
      const t = batch.time[k] as number;
      if (count === 0) first = t;
      last = t;
      count++;
      if (bounds && opts.mode === 'refuse' && ((t >= bounds.first && t <= bounds.last) || (first < bounds.first && t > bounds.last)))
        overlap(line, t);
      if (++k === BATCH) {
        writer.write(batch, k);
        k = 0;
      }
    };

    let parser: ReturnType<typeof parse> | null = null;
    let plain: PlainCsvSplitter | null = null;
    const decoder = new StringDecoder('utf8');
    const drain = (): void => {
      const p = parser as ReturnType<typeof parse>;
      type Read = { record: string[]; info: { lines: number } } | null;
      for (let r = p.read() as Read; r !== null; r = p.read() as Read) onRecord(r.record, r.info.lines);
      if (p.errored) throw p.errored;
    };
    const source = gzip ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
    let bytes = 0;
    let started = false;
    const raw = gzip ? (source as NodeJS.ReadableStream & { bytesWritten: number }) : null;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        if (!started) {
          started = true;
          if (chunk.subarray(0, 4096).includes(0)) throw new UsageError(`${file}: line 1: binary data, not a CSV file; nothing imported`);
          const head = chunk
            .subarray(0, 4096)
            .toString('utf8')
            .replace(/^\uFEFF/, '');
          const delimiter = sniffDelimiter(head.split(/\r?\n/, 1)[0] ?? '');
          if (fast) {
            plain = new PlainCsvSplitter(delimiter, onRecord);
          } else {
            parser = parse({
              delimiter,
              bom: true,
              trim: true,
              skip_empty_lines: true,
              relax_column_count: true,
              info: true,
              max_record_size: 1 << 20,
            });
            parser.on('error', () => {
              /* read through parser.errored */
            });
          }
        }
        if (plain) {
          if (!plain.push(decoder.write(chunk))) throw new NeedsFullParser();
        } else {
          (parser as ReturnType<typeof parse>).write(chunk);
          drain();
        }
        bytes = raw ? raw.bytesWritten : bytes + chunk.length;
        opts.onProgress?.(Math.min(bytes, size), size);
        if (opts.shouldStop?.()) throw new TunicoinError('interrupted', 'import interrupted; nothing imported');
      }
      if (plain) {
        if (!plain.push(decoder.end())) throw new NeedsFullParser();
        plain.end();
      }
      if (parser) {
        parser.end();
        drain();
        await new Promise((r) => setImmediate(r));
        if (parser.errored) throw parser.errored;
      }
    } catch (e) {
      if (e instanceof NeedsFullParser) {
        (source as NodeJS.ReadableStream & { destroy(): void }).destroy();
        throw e;
      }
      if (e instanceof CsvError) {
        const line = (e as CsvError & { lines?: number }).lines;
        throw new UsageError(
          `${file}: ${line ? `line ${line}: ` : ''}not a readable CSV: ${e.message.replace(/\s+/g, ' ').slice(0, 160)}; nothing imported`,
        );
      }
      if (e instanceof LayoutError) throw new UsageError(`${file}: line ${e.line}: ${e.message}; nothing imported`);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')
        throw new UsageError(`${file}: the gzip data is corrupt (${(e as Error).message}); nothing imported`);
      throw e;
    }
    if (checker.errorCount && (!opts.skipInvalid || count === 0)) throw new InvalidRowsError(file, checker.errors, checker.errorCount);
    if (count === 0) throw new UsageError(`${file}: no data rows${checker.layout ? ' after the header' : ''}; nothing imported`);
    writer.write(batch, k);
    tx.commit();
    settleCandles(store); // PostgreSQL: VACUUM, for index-only reads of the new rows
    return {
      symbol: inst.symbol,
      timeframe: tf,
      layout: checker.layout ?? 'generic',
      mode: opts.mode,
      rows: checker.rows,
      imported: writer.written,
      alreadyStored: opts.mode === 'merge' ? count - writer.written : 0,
      replaced: writer.deleted,
      skipped: checker.errorCount,
      skippedRows: checker.errors,
      rounded: checker.rounded,
      from: toIso(first),
      to: toIso(last),
      gzip,
    };
  } finally {
    tx.rollback();
  }
}
