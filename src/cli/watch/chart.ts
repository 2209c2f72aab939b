/**
 * Candlesticks and sparklines as text, one column per candle. Pure: candles in, rows of
 * segments out. With colour, rising candles are green and falling ones red; without (NO_COLOR),
 * rising bodies are drawn hollow-looking (░) and falling ones solid (█), so the two stay apart.
 */
import type { Candles } from '../../core/candles.ts';
import type { Seg } from './view-types.ts';

const SPARK = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], width: number): string {
  const v = values.slice(Math.max(0, values.length - width));
  if (v.length === 0 || width <= 0) return '';
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const span = hi - lo;
  return v
    .map((x) => SPARK[span > 0 ? Math.min(7, Math.floor(((x - lo) / span) * 8)) : 3])
    .join('')
    .padStart(width);
}

export interface ChartOptions {
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
  /** Formats an axis price. */
  readonly label: (price: number) => string;
}

/** Rows (top first) of a candlestick chart with a price axis on the right. */
export function candleChart(c: Candles, o: ChartOptions): Seg[][] {
  let allHi = 0;
  let allLo = Infinity;
  for (let i = 0; i < c.time.length; i++) {
    allHi = Math.max(allHi, c.high[i] as number);
    allLo = Math.min(allLo, c.low[i] as number);
  }
  const labelW = Math.max(o.label(allHi).length, c.time.length ? o.label(allLo).length : 0, 6) + 1;
  const plotW = Math.max(1, o.width - labelW - 1);
  const n = Math.min(c.time.length, plotW);
  const start = c.time.length - n;
  const rows: Seg[][] = [];
  if (n === 0) {
    for (let r = 0; r < o.height; r++) {
      const text = r === Math.floor(o.height / 2) ? 'no candles in this window before the clock' : '';
      rows.push([{ text: text.padEnd(o.width).slice(0, o.width) }]);
    }
    return rows;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < c.time.length; i++) {
    lo = Math.min(lo, c.low[i] as number);
    hi = Math.max(hi, c.high[i] as number);
  }
  if (!(hi > lo)) {
    hi = hi + Math.abs(hi) * 0.001 + 1e-9;
    lo = lo - Math.abs(lo) * 0.001 - 1e-9;
  }
  const h = Math.max(1, o.height);
  const step = (hi - lo) / h;
  // the price band of each row: [top - (r+1)*step, top - r*step]
  const rowOf = (p: number) => Math.min(h - 1, Math.max(0, Math.floor((hi - p) / step)));
  const grid: Array<Array<{ ch: string; up: boolean } | null>> = Array.from({ length: h }, () => new Array<null>(plotW).fill(null));
  for (let k = 0; k < n; k++) {
    const i = start + k;
    const open = c.open[i] as number;
    const close = c.close[i] as number;
    const up = close >= open;
    const col = plotW - n + k;
    const [wTop, wBot] = [rowOf(c.high[i] as number), rowOf(c.low[i] as number)];
    const [bTop, bBot] = [rowOf(Math.max(open, close)), rowOf(Math.min(open, close))];
    for (let r = wTop; r <= wBot; r++) {
      const body = r >= bTop && r <= bBot;
      (grid[r] as Array<{ ch: string; up: boolean } | null>)[col] = { ch: body ? (up && !o.color ? '░' : '█') : '│', up };
    }
  }
  const labelRows = new Set([0, Math.floor((h - 1) / 2), h - 1]);
  for (let r = 0; r < h; r++) {
    const segs: Seg[] = [];
    let run = '';
    let runColor: Seg['color'];
    const flush = () => {
      if (run) segs.push(runColor ? { text: run, color: runColor } : { text: run });
      run = '';
    };
    for (const cell of grid[r] as Array<{ ch: string; up: boolean } | null>) {
      const color: Seg['color'] = cell && o.color ? (cell.up ? 'green' : 'red') : undefined;
      if (color !== runColor) {
        flush();
        runColor = color;
      }
      run += cell ? cell.ch : ' ';
    }
    flush();
    const price = hi - (r + 0.5) * step;
    segs.push({
      text: ` ${labelRows.has(r) ? o.label(r === 0 ? hi : r === h - 1 ? lo : price) : ''}`.padEnd(labelW + 1).slice(0, labelW + 1),
      dim: true,
    });
    rows.push(segs);
  }
  return rows;
}
