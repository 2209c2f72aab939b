/**
 * Feeding candles to the engine in time order across instruments: a k-way merge over
 * column-oriented 1m candles, one `step` per instrument per minute. `beforeMinute` runs before
 * and `onMinute` after every instrument has seen that minute (bots hook in there).
 */
import type { Candles } from '../core/candles.ts';
import type { Engine } from './engine.ts';
import { replayIdle } from './replay-idle.ts';

export interface BarFeed {
  readonly instrumentId: string;
  readonly candles: Candles;
}

export interface ReplayHooks {
  /** Before any instrument steps the minute `time` (a bot's bucket closes when a later bar arrives). */
  beforeMinute?(time: number): void;
  onMinute?(time: number): void;
  onProgress?(done: number, total: number): void;
}

export function replay(engine: Engine, feeds: readonly BarFeed[], hooks: ReplayHooks = {}): number {
  // Without a per-minute hook, only the bars on which something can happen are stepped (replay-idle.ts).
  if (!hooks.beforeMinute && !hooks.onMinute)
    return replayIdle(engine, feeds, hooks.onProgress ? (done, total) => hooks.onProgress?.(done, total) : undefined);
  const ptr = feeds.map(() => 0);
  const total = feeds.reduce((s, f) => s + f.candles.time.length, 0);
  let done = 0;
  for (;;) {
    let t = Infinity;
    for (let k = 0; k < feeds.length; k++) {
      const c = (feeds[k] as BarFeed).candles;
      const i = ptr[k] as number;
      if (i < c.time.length && (c.time[i] as number) < t) t = c.time[i] as number;
    }
    if (t === Infinity) break;
    hooks.beforeMinute?.(t);
    for (let k = 0; k < feeds.length; k++) {
      const f = feeds[k] as BarFeed;
      const c = f.candles;
      const i = ptr[k] as number;
      if (i >= c.time.length || c.time[i] !== t) continue;
      // The engine keeps the bar it is given (as the instrument's last bar), so each step gets its own object.
      engine.step(
        f.instrumentId,
        {
          open: c.open[i] as number,
          high: c.high[i] as number,
          low: c.low[i] as number,
          close: c.close[i] as number,
          volume: c.volume[i] as number,
        },
        t,
      );
      ptr[k] = i + 1;
      done++;
    }
    hooks.onMinute?.(t);
    if (hooks.onProgress && done % 5_000 < feeds.length) hooks.onProgress(done, total);
  }
  return done;
}
