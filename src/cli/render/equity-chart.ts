/**
 * Strategy equity against buy & hold in the terminal, told apart without colour: the strategy
 * is asciichart's solid line, buy & hold a dotted one ("·"), with a legend. Both are plotted on
 * the same scale and merged cell by cell, the strategy on top. Pure: data in, string out.
 */
import asciichart from 'asciichart';
import type { Style } from './style.ts';

export const HOLD_DOT = '·';

export function renderEquityChart(strategy: readonly number[], hold: readonly number[], opts: { height: number; style: Style }): string {
  const all = [...strategy, ...hold].filter(Number.isFinite);
  const min = Math.min(...all);
  const max = Math.max(...all);
  const common = { height: opts.height, min, max, format: (x: number) => x.toFixed(0).padStart(10) };
  const a = asciichart.plot(strategy, common).split('\n');
  const b = asciichart.plot(hold, common).split('\n');
  const st = opts.style;
  const lines = a.map((line, r) => {
    const other = b[r] ?? '';
    const width = Math.max(line.length, other.length);
    let out = '';
    for (let k = 0; k < width; k++) {
      const ca = line[k] ?? ' ';
      const cb = other[k] ?? ' ';
      if (ca !== ' ')
        out += k > 11 && st.enabled ? st.chalk.cyan(ca) : ca; // the first 12 columns are the axis labels
      else if (cb !== ' ') out += st.enabled ? st.chalk.gray(HOLD_DOT) : HOLD_DOT;
      else out += ' ';
    }
    return out.trimEnd();
  });
  const legend = `${' '.repeat(12)}${st.enabled ? st.chalk.cyan('──') : '──'} strategy   ${st.enabled ? st.chalk.gray(HOLD_DOT.repeat(3)) : HOLD_DOT.repeat(3)} buy & hold`;
  return `${lines.join('\n')}\n${legend}`;
}
