/**
 * Replaying bars with no per-minute hook (a `market advance` without running bots): the steps
 * that could only move an instrument's last bar are deferred, and only the bars on which
 * something can happen are stepped, in the order `replay` steps them (time, then feed order).
 *
 * A bar of instrument I is idle when I has no open position (no stop-loss, take-profit,
 * trailing stop, funding or liquidation to check) and the bar lies inside I's order band
 * (quiet-band.ts orderBandOf: none of I's working orders can fill, trigger or trail on it).
 * Stepping an idle bar only sets I's last bar, its time, its next funding time and the clock,
 * so skipping it changes nothing as long as:
 * - nothing reads I's last bar meanwhile: marks are read for the instruments of open
 *   positions only (accounting.ts), and I has none; no hook runs between minutes;
 * - the bar just before the next stepped bar of I, and I's last bar, are stepped (they are
 *   idle: this leaves I's bar, bar time and funding time exactly as stepping every bar would);
 * - a bar judged idle stays idle until its minute: a step of another instrument J can only
 *   close positions on I (liquidation) or remove I's orders (liquidation cancels them), which
 *   widens I's band and never adds a holder; only I's own steps (fills, triggers, trails) and
 *   placed orders (a hook, absent here) narrow it, and I is re-scanned after each of its steps.
 * test/unit/replay-idle.test.ts checks it against stepping every bar.
 */
import type { Bar } from '../core/fill.ts';
import type { Candles } from '../core/candles.ts';
import type { Engine } from './engine.ts';
import { orderBandOf, type OrderBand } from './quiet-band.ts';
import type { EngineInstrument } from './state.ts';

interface Cursor {
  readonly inst: EngineInstrument;
  readonly c: Candles;
  readonly n: number;
  /** The first bar not yet stepped (or skipped). */
  ptr: number;
  /** The next bar that must be stepped (>= ptr; n when none). */
  next: number;
  readonly band: OrderBand;
}

/** The first bar at or after `from` that is not idle (see the header), or n. */
function nextBusy(engine: Engine, cur: Cursor, from: number): number {
  const { inst, c, n } = cur;
  if (from >= n || inst.holders.length > 0) return from;
  const orders = engine.state.orders;
  let lowAbove = -Infinity;
  let highBelow = Infinity;
  if (orders.length > 0) {
    orderBandOf(orders, inst, cur.band);
    lowAbove = cur.band.lowAbove;
    highBelow = cur.band.highBelow;
  }
  const { low, high } = c;
  let i = from;
  while (i < n && (low[i] as number) > lowAbove && (high[i] as number) < highBelow) i++;
  return i;
}

function stepBar(engine: Engine, cur: Cursor, i: number): void {
  const c = cur.c;
  // The engine keeps the bar it is given (as the instrument's last bar): its own object.
  const bar: Bar = {
    open: c.open[i] as number,
    high: c.high[i] as number,
    low: c.low[i] as number,
    close: c.close[i] as number,
    volume: c.volume[i] as number,
  };
  engine.stepInstrument(cur.inst, bar, c.time[i] as number);
}

/**
 * Step the feeds' bars as `replay` does without hooks (see the header); returns the number of
 * bars fed (stepped or skipped). `onProgress` is called once, at the end.
 */
export function replayIdle(
  engine: Engine,
  feeds: readonly { readonly instrumentId: string; readonly candles: Candles }[],
  onProgress?: (done: number, total: number) => void,
): number {
  const cursors: Cursor[] = [];
  let total = 0;
  for (const f of feeds) {
    const n = f.candles.time.length;
    total += n;
    if (n === 0) continue;
    const cur: Cursor = {
      inst: engine.instrument(f.instrumentId),
      c: f.candles,
      n,
      ptr: 0,
      next: 0,
      band: { lowAbove: Infinity, highBelow: -Infinity, count: 0 },
    };
    cur.next = nextBusy(engine, cur, 0);
    cursors.push(cur);
  }
  for (;;) {
    // the earliest bar to step; on a tie, the first feed (replay's order within a minute)
    let best: Cursor | null = null;
    let bestTime = Infinity;
    for (const cur of cursors) {
      if (cur.next >= cur.n) continue;
      const t = cur.c.time[cur.next] as number;
      if (t < bestTime) {
        bestTime = t;
        best = cur;
      }
    }
    if (best === null) break;
    const i = best.next;
    if (i > best.ptr) stepBar(engine, best, i - 1); // idle: the bar before, as stepping every bar leaves it
    stepBar(engine, best, i);
    best.ptr = i + 1;
    best.next = nextBusy(engine, best, i + 1);
  }
  // the last bar of each feed whose tail was skipped, in feed order (idle: nothing else happens)
  for (const cur of cursors) if (cur.ptr < cur.n) stepBar(engine, cur, cur.n - 1);
  onProgress?.(total, total);
  return total;
}
