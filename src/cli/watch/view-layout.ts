/** The watch screen's geometry and line helpers: panel sizes for a terminal, fitting, wrapping, panels and tables. */
import type { Line, Panel, Seg } from './view-types.ts';

export const MIN_COLS = 80;
export const MIN_ROWS = 24;

export interface Rect {
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  readonly cols: number;
  readonly rows: number;
  readonly chart: Rect;
  readonly quotes: Rect;
  readonly positions: Rect;
  readonly orders: Rect;
  readonly log: Rect;
}

/**
 * Header (1 row), account strip (2), chart | quotes, positions over orders | log, footer (1).
 * One row is left free at the bottom: a frame as tall as the terminal would make the renderer
 * clear the whole screen on every redraw (flicker).
 */
export function layout(cols: number, rows: number): Layout {
  const body = rows - 1 - 4;
  const top = Math.max(9, Math.round(body * 0.55));
  const bottom = body - top;
  const quotesW = cols >= 120 ? 58 : cols >= 100 ? 50 : 44;
  const logW = cols >= 120 ? Math.floor(cols * 0.42) : 34;
  const posH = Math.ceil(bottom / 2) + (bottom >= 14 ? 1 : 0);
  return {
    cols,
    rows,
    chart: { width: cols - quotesW, height: top },
    quotes: { width: quotesW, height: top },
    positions: { width: cols - logW, height: posH },
    orders: { width: cols - logW, height: bottom - posH },
    log: { width: logW, height: bottom },
  };
}

/** Cut or pad a line to exactly `w` characters. */
export function fitLine(line: Line, w: number): Line {
  const out: Seg[] = [];
  let left = w;
  for (const s of line) {
    if (left <= 0) break;
    const text = s.text.length > left ? s.text.slice(0, left) : s.text;
    out.push({ ...s, text });
    left -= text.length;
  }
  if (left > 0) out.push({ text: ' '.repeat(left) });
  return out;
}

export const plain = (text: string): Line => [{ text }];

/** Split text into lines of at most `w` characters, at spaces where possible. */
export function wrap(text: string, w: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > w) {
    const cut = rest.lastIndexOf(' ', w);
    const at = cut > w / 2 ? cut : w;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}

/** A panel whose content is cut or padded to its inner size. */
export function panel(title: string, rect: Rect, lines: readonly Line[]): Panel {
  const w = rect.width - 2;
  const h = Math.max(0, rect.height - 2);
  const body = lines.slice(0, h).map((l) => fitLine(l, w));
  while (body.length < h) body.push(fitLine([], w));
  return { title, width: rect.width, height: rect.height, lines: body };
}

/** A column of a table: its header, its cells, and its priority (lower is dropped last). */
interface Col {
  readonly header: string;
  readonly cells: readonly Seg[];
  readonly align: 'left' | 'right';
  readonly priority: number;
}

/** Columns that fit in `w` (by priority), laid out in their original order, one space apart. */
export function table(cols: readonly Col[], w: number, selected = -1): Line[] {
  const widthOf = (c: Col) => Math.max(c.header.length, ...c.cells.map((s) => s.text.length));
  const keep = new Set<Col>();
  let used = -1;
  for (const c of [...cols].sort((a, b) => a.priority - b.priority)) {
    const cw = widthOf(c) + 1;
    if (used + cw <= w) {
      keep.add(c);
      used += cw;
    }
  }
  const shown = cols.filter((c) => keep.has(c));
  const pad = (c: Col, t: string) => (c.align === 'right' ? t.padStart(widthOf(c)) : t.padEnd(widthOf(c)));
  const rows = shown[0]?.cells.length ?? 0;
  const out: Line[] = [shown.map((c, k) => ({ text: (k ? ' ' : '') + pad(c, c.header), bold: true }))];
  for (let r = 0; r < rows; r++) {
    out.push(
      shown.map((c, k) => {
        const s = c.cells[r] as Seg;
        return { ...s, text: (k ? ' ' : '') + pad(c, s.text), ...(r === selected ? { inverse: true } : {}) };
      }),
    );
  }
  return out;
}
