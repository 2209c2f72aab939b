/**
 * Tables for humans (cli-table3). Pure: data in, string out.
 *
 * Tables fit the width in `style.width` (the terminal's columns; COLUMNS when stdout is not a
 * terminal; no limit when neither is known, so a pipe gets every column). A table wider than that
 * never wraps: long text columns (left-aligned, e.g. a description) are cut with "…" first, down
 * to MIN_TEXT characters; then the least important columns are dropped (a column's `importance`,
 * else the headers in DROP_FIRST, else the rightmost first; the first column always stays); then
 * text is cut further.
 */
import Table from 'cli-table3';
import type { Style } from './style.ts';

export type Align = 'left' | 'right' | 'center';

export interface Column {
  readonly header: string;
  readonly align?: Align;
  /** Higher stays longer when the table is too wide (default: by position, the rightmost goes first). */
  readonly importance?: number;
}

/**
 * Headers that go first when a table is too wide, the first listed first: detail a row is
 * still understandable without (the rest by position, the rightmost first). One list for every
 * command, so the same column goes the same way everywhere.
 */
const DROP_FIRST = [
  'source',
  'created',
  'data',
  'slippage',
  'funding/8h',
  'funding paid',
  'contract',
  'max size',
  'min size',
  'stop',
  'SL',
  'TP',
  'user',
  'account',
  'tf',
  'win/loss',
  'realised',
  'unrealised',
  'fill',
  'fee',
  'order',
  'lev',
  'sharpe',
  'name',
  'volume',
  'type',
];
const MIN_TEXT = 16;
const MIN_CUT = 4;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Width on screen: ANSI colour codes take none. */
export const visibleWidth = (s: string): number => [...s.replace(ANSI, '')].length;
const cellWidth = (s: string): number => Math.max(0, ...s.split('\n').map(visibleWidth));

/** Cut each line of `s` to `w` characters, the last being "…" (colour is lost on a cut line). */
export function cut(s: string, w: number): string {
  return s
    .split('\n')
    .map((line) => {
      if (visibleWidth(line) <= w) return line;
      return `${[...line.replace(ANSI, '')].slice(0, Math.max(0, w - 1)).join('')}…`;
    })
    .join('\n');
}

/** Which columns to keep and how wide text may be, for a total width of at most `max`. */
function fit(columns: readonly Column[], widths: number[], max: number): { keep: number[]; limit: number[] } {
  const limit = [...widths];
  let keep = columns.map((_, k) => k);
  const total = () => keep.reduce((t, k) => t + (limit[k] as number) + 3, 1); // "│ x " per column, one closing "│"
  const shrinkText = (floor: number) => {
    for (;;) {
      const over = total() - max;
      if (over <= 0) return;
      const text = keep.filter((k) => (columns[k]?.align ?? 'left') === 'left' && (limit[k] as number) > floor);
      if (!text.length) return;
      const widest = text.reduce((a, b) => ((limit[b] as number) > (limit[a] as number) ? b : a));
      limit[widest] = Math.max(floor, (limit[widest] as number) - over);
    }
  };
  shrinkText(MIN_TEXT);
  const rank = (k: number) => {
    const c = columns[k] as Column;
    if (c.importance !== undefined) return c.importance;
    const minor = DROP_FIRST.indexOf(c.header);
    return minor >= 0 ? -10 + minor / 100 : -k / 1000;
  };
  while (total() > max && keep.length > 1) {
    const drop = keep.slice(1).reduce((a, b) => (rank(b) <= rank(a) ? b : a));
    keep = keep.filter((k) => k !== drop);
  }
  shrinkText(MIN_CUT);
  return { keep, limit };
}

export function renderTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>, style: Style): string {
  let cols = columns;
  let body = rows;
  if (style.width !== undefined && columns.length > 0) {
    const widths = columns.map((c, k) => Math.max(visibleWidth(c.header), ...rows.map((r) => cellWidth(r[k] ?? ''))));
    const { keep, limit } = fit(columns, widths, style.width);
    cols = keep.map((k) => {
      const c = columns[k] as Column;
      return { ...c, header: cut(c.header, limit[k] as number) };
    });
    body = rows.map((r) =>
      keep.map((k) => {
        const cell = r[k] ?? '';
        return cellWidth(cell) > (limit[k] as number) ? cut(cell, limit[k] as number) : cell;
      }),
    );
  }
  const table = new Table({
    head: cols.map((c) => style.bold(c.header)),
    colAligns: cols.map((c) => c.align ?? 'left'),
    style: { head: [], border: style.enabled ? ['grey'] : [], compact: false },
  });
  for (const r of body) table.push([...r]);
  return table.toString();
}

/** Two-column key/value table. */
export function renderKeyValue(pairs: ReadonlyArray<readonly [string, string]>, style: Style): string {
  const table = new Table({ style: { head: [], border: style.enabled ? ['grey'] : [] } });
  for (const [k, v] of pairs) table.push([style.bold(k), v]);
  return table.toString();
}
