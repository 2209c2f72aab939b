/**
 * Backtest trade logs on disk. The destination is checked before the run (a folder, a file in
 * the way of a folder, an unwritable place or an existing file are refused up front, exit 2),
 * and written like the database: owner-only (0600 file, 0700 new folders), atomically (temp
 * file + rename; the temp file is removed when anything fails).
 */
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, extname } from 'node:path';
import { csvField } from '../core/csv.ts';
import { emitJsonArray } from '../core/json-text.ts';
import { UsageError } from '../core/errors.ts';
import type { TradeTexts } from './trade-format.ts';
import { TextChunks } from './text-chunks.ts';

const statOrNull = (p: string): Stats | null => {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') throw new UsageError(`--trades ${p}: a parent of it is a file, not a folder`);
    throw new UsageError(`--trades ${p}: ${code ?? (e as Error).message}`);
  }
};

export interface TradesPathCheck {
  readonly exists: boolean;
}

/** Refuse a trade-log destination that cannot be written; report whether it would overwrite a file. */
export function checkTradesPath(path: string): TradesPathCheck {
  if (!/\.(csv|json)$/i.test(path)) throw new UsageError('--trades must name a .csv or .json file');
  const st = statOrNull(path);
  if (st) {
    if (st.isDirectory()) throw new UsageError(`--trades ${path} is a folder`, 'name a file, e.g. --trades out/trades.csv');
    if (!st.isFile()) throw new UsageError(`--trades ${path} is not a regular file`);
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new UsageError(`--trades ${path} is not writable`);
    }
  }
  // The nearest existing ancestor must be a writable folder (missing folders are created).
  let dir = dirname(path);
  for (;;) {
    const d = statOrNull(dir);
    if (d) {
      if (!d.isDirectory()) throw new UsageError(`--trades ${path}: ${dir} is a file, not a folder`);
      try {
        accessSync(dir, constants.W_OK | constants.X_OK);
      } catch {
        throw new UsageError(`--trades ${path}: cannot write in ${dir}`);
      }
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { exists: st !== null };
}

/** Missing folders, one level at a time, owner-only. */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; statOrNull(d) === null; d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const m of missing.reverse()) mkdirSync(m, { mode: 0o700 });
}

/** Rows of a log, one at a time (app/trade-text.ts: a backtest's trades). */
export interface RowsText<R extends object = object> {
  readonly count: number;
  readonly columns: readonly string[];
  /** Row k as an object (a new one each time): JSON.stringify writes it. */
  readonly row: (k: number) => R;
  /** A row's CSV line, without its newline: renderCsv's text of it. */
  readonly csv: (row: R) => string;
  /** Row k's CSV line, csv(row(k)), written without the row object. */
  readonly csvLine: (k: number) => string;
  /**
   * Row k's CSV line and its row in the --json output (app/trade-format.ts tradeTexts), both
   * from one formatting of its fields; counts as a call of `row` for `clean`.
   */
  readonly texts?: (k: number, out: TradeTexts) => void;
  /** No row given by `row` so far has a text whose JSON escapeControl (core/text.ts) would change. */
  readonly clean: boolean;
}

/** The CSV writer's buffer. */
const BUFFER_BYTES = 1 << 20;

/**
 * Write the rows as CSV (or JSON for a .json path), owner-only and atomically, a piece at a time.
 * With `json` (the --json output wants the rows) and a CSV path, each row's --json text is made
 * with its line (RowsText.texts) and returned: the text of the `trades` array of the --json
 * output after its opening "[\n", as UTF-8 buffers; null when not asked for, for a .json path
 * and for no rows (the array is then "[]").
 */
export function writeTradeLog<R extends object>(path: string, rows: RowsText<R>, { json = false } = {}): Buffer[] | null {
  let jsonOut: TextChunks | null = null;
  makeDirs(dirname(path));
  const tmp = `${path}.tmp-${process.pid}`;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'w', 0o600);
    const out = fd;
    const emit = (text: string) => {
      const b = Buffer.from(text);
      for (let off = 0; off < b.length;) off += writeSync(out, b, off, b.length - off);
    };
    if (extname(path).toLowerCase() === '.json') {
      emitJsonArray(rows.count, rows.row, 0, emit);
      emit('\n');
    } else {
      // the text of renderCsv(columns, rows), each line encoded into one buffer, written when full:
      // no string of many lines is built (it would outlive a scavenge or two, copied each time)
      const buf = Buffer.allocUnsafe(BUFFER_BYTES);
      let used = 0;
      const put = (line: string) => {
        const most = 3 * line.length; // UTF-8 bytes per UTF-16 unit, at most (a lone surrogate: 3)
        if (used + most > buf.length) {
          for (let off = 0; off < used;) off += writeSync(out, buf, off, used - off);
          used = 0;
          if (most > buf.length) return emit(line);
        }
        used += buf.write(line, used);
      };
      put(`${rows.columns.map(csvField).join(',')}\n`);
      // lines a few KB at a time (one encoding call each), before they outlive a scavenge
      let lines = '';
      const texts = json && rows.count > 0 ? rows.texts : undefined;
      if (texts) {
        const chunks = new TextChunks();
        const t: TradeTexts = { csv: '', json: '' };
        let rowsJson = '';
        for (let k = 0; k < rows.count; k++) {
          texts(k, t);
          lines += `${t.csv}\n`;
          rowsJson += k + 1 < rows.count ? `${t.json},\n` : `${t.json}\n  ]`;
          if (lines.length > 1 << 13) {
            put(lines);
            lines = '';
          }
          if (rowsJson.length > 1 << 13) {
            chunks.put(rowsJson);
            rowsJson = '';
          }
        }
        chunks.put(rowsJson);
        jsonOut = chunks;
      } else
        for (let k = 0; k < rows.count; k++) {
          lines += `${rows.csvLine(k)}\n`;
          if (lines.length > 1 << 13) {
            put(lines);
            lines = '';
          }
        }
      put(lines);
      for (let off = 0; off < used;) off += writeSync(out, buf, off, used - off);
    }
    closeSync(fd);
    fd = null;
    chmodSync(tmp, 0o600); // whatever the umask
    renameSync(tmp, path);
    return jsonOut ? jsonOut.done() : null;
  } catch (e) {
    try {
      if (fd !== null) closeSync(fd);
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw e;
  }
}
