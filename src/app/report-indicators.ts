/**
 * The strategy's indicator series for a report. They are recorded from the strategy itself
 * (`explain().indicators` after each closed candle), so a custom strategy's indicators show
 * up too. A series whose values live on the price scale (moving averages, bands) is drawn over
 * the candles; the others (RSI, MACD, ...) get panes of their own, MACD's three lines together.
 */
import type { DecisionValue, PositionSide, StrategyCandle, StrategyContext, StrategyInstance } from '../core/strategy/types.ts';
import type { Pane, Series } from '../report/model.ts';

export class IndicatorRecorder {
  readonly columns = new Map<string, Float64Array>();
  private k = 0;

  constructor(private readonly candleTimes: ArrayLike<number>) {}

  /** The strategy, recording its indicators at each candle it sees that is one of ours. */
  wrap(inner: StrategyInstance): StrategyInstance {
    return {
      warmup: inner.warmup,
      onCandle: (c: StrategyCandle, position: PositionSide, context: StrategyContext): DecisionValue => {
        const d = inner.onCandle(c, position, context);
        this.record(c.time, inner.explain().indicators);
        return d;
      },
      explain: () => inner.explain(),
    };
  }

  private record(time: number, values: Readonly<Record<string, number | null>>): void {
    const times = this.candleTimes;
    while (this.k < times.length && (times[this.k] as number) < time) this.k++;
    if (this.k >= times.length || times[this.k] !== time) return; // warm-up before the range
    for (const [name, v] of Object.entries(values)) {
      if (name === 'close') continue; // the candles show it
      let col = this.columns.get(name);
      if (!col) {
        col = new Float64Array(times.length).fill(NaN);
        this.columns.set(name, col);
      }
      if (typeof v === 'number') col[this.k] = v;
    }
  }
}

const MACD = new Set(['macd', 'signal', 'hist', 'histogram']);

/** Split recorded series into overlays (on the price scale) and panes. */
export function classifyIndicators(
  columns: ReadonlyMap<string, Float64Array>,
  closes: ArrayLike<number>,
): { overlays: Series[]; panes: Pane[] } {
  const overlays: Series[] = [];
  const macd: Series[] = [];
  const panes: Pane[] = [];
  for (const [name, values] of columns) {
    if (MACD.has(name.toLowerCase())) {
      macd.push({ name, values, style: /^hist/i.test(name) ? 'histogram' : 'line' });
      continue;
    }
    if (onPriceScale(values, closes)) overlays.push({ name, values });
    else panes.push({ title: name.replace(/_/g, ' ').toUpperCase(), series: [{ name, values }] });
  }
  if (macd.length) panes.unshift({ title: 'MACD', series: macd });
  return { overlays, panes };
}

/** Most finite values within a factor of 2 of the close: a price-like series. */
function onPriceScale(values: ArrayLike<number>, closes: ArrayLike<number>): boolean {
  let seen = 0;
  let near = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const c = closes[i] as number;
    if (!Number.isFinite(v) || !(c > 0)) continue;
    seen++;
    if (v > c / 2 && v < c * 2) near++;
  }
  return seen > 0 && near / seen > 0.9;
}
