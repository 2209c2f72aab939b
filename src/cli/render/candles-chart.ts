/**
 * Candlesticks in the terminal, one column per candle: the wick is "│", the body hollow-looking
 * "░" when the candle closed up (close >= open) and solid "█" when it closed down, as hollow and
 * filled candles are drawn on paper (and as `watch` draws them), so the direction reads without
 * colour (NO_COLOR); with colour, up is green and down red as well. Pure: data in, string out.
 */
import type { Style } from './style.ts';

export interface Ohlc {
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
}

export const UP_BODY = '░';
export const DOWN_BODY = '█';
export const WICK = '│';

export function renderCandles(c: Ohlc, opts: { height: number; decimals: number; style: Style }): string {
  const n = c.open.length;
  const { height, decimals, style } = opts;
  if (n === 0) return '';
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    max = Math.max(max, c.high[i] as number);
    min = Math.min(min, c.low[i] as number);
  }
  const range = max - min || Math.abs(max) * 1e-9 || 1;
  const rowOf = (p: number): number => Math.min(height - 1, Math.max(0, Math.floor(((max - p) / range) * height)));
  const grid: string[][] = Array.from({ length: height }, () => new Array<string>(n).fill(' '));
  for (let i = 0; i < n; i++) {
    const o = c.open[i] as number;
    const cl = c.close[i] as number;
    const up = cl >= o;
    const [top, bottom] = [rowOf(Math.max(o, cl)), rowOf(Math.min(o, cl))];
    const body = up ? UP_BODY : DOWN_BODY;
    const paint = style.enabled ? (s: string) => (up ? style.chalk.green(s) : style.chalk.red(s)) : (s: string) => s;
    for (let r = rowOf(c.high[i] as number); r <= rowOf(c.low[i] as number); r++) {
      (grid[r] as string[])[i] = paint(r >= top && r <= bottom ? body : WICK);
    }
  }
  const width = Math.max(max.toFixed(decimals).length, min.toFixed(decimals).length) + 1;
  const lines = grid.map((row, r) => {
    // a price label on the first, last and every fourth row: the top of the band the row covers
    const label = r === 0 || r === height - 1 || r % 4 === 0 ? (max - (r / Math.max(1, height - 1)) * range).toFixed(decimals) : '';
    return `${label.padStart(width)} ┤${row.join('')}`;
  });
  lines.push(`${' '.repeat(width)}  ${UP_BODY} up (close >= open)  ${DOWN_BODY} down  ${WICK} high-low`);
  return lines.join('\n');
}
