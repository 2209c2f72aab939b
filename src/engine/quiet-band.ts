/**
 * The engine's quiet band and its cheap liquidation screen. After a step, the quiet band of an
 * instrument is the range of bars on which another step could only move the clock: no working
 * order, no funding boundary, no stop-loss, take-profit or trailing level and no account near its
 * maintenance margin reachable. A backtest skips the bars inside it (identical results, property
 * tested against stepping every bar). The screen and the band solve the same line, so they share
 * its constants.
 */
import type { Bar } from '../core/fill.ts';
import { MONEY_SCALE, PNL_DIVISOR, PRICE_SCALE, priceToFloat } from '../core/money.ts';
import type { EngineAccount, EngineInstrument, EngineOrder, EnginePosition, EngineState } from './state.ts';

/**
 * Bars of one instrument on which `step` can only move the clock: every bar with time < until,
 * low > lowAbove and high < highBelow (mid prices). Empty when until is -Infinity.
 */
export interface QuietBand {
  until: number;
  lowAbove: number;
  highBelow: number;
}

/** The cheap liquidation screen (maybeBelowMaintenance) fires below this fraction of the margin plus $1; quietBand solves the same line. */
const SCREEN_RATIO = 0.5 * 1.02;
const SCREEN_SLACK = MONEY_SCALE; // $1

/** The quiet band of `inst` after its last step (see Engine.quietBand). */
export function quietBandOf(state: EngineState, inst: EngineInstrument, out: QuietBand): QuietBand {
  out.until = -Infinity;
  out.lowAbove = Infinity;
  out.highBelow = -Infinity;
  if (state.orders.length > 0 || !inst.bar || Number.isNaN(inst.nextFundingAt)) return out;
  let lowAbove = -Infinity;
  let highBelow = Infinity;
  const tick = inst.params.tick as number;
  for (const { acct, pos } of inst.holders) {
    if (acct.positions.size !== 1) return out; // marks of other instruments move its equity
    const long = pos.size > 0;
    // stop-loss: a stop that triggers on the mid range (fillStop)
    if (pos.stopLoss !== null) {
      if (long) lowAbove = Math.max(lowAbove, priceToFloat(pos.stopLoss));
      else highBelow = Math.min(highBelow, priceToFloat(pos.stopLoss));
    }
    // trailing stop-loss: a bar whose best mid does not pass the anchor leaves the level where it is
    if (pos.trail !== null && pos.trailAnchor !== null) {
      if (long) highBelow = Math.min(highBelow, priceToFloat(pos.trailAnchor));
      else lowAbove = Math.max(lowAbove, priceToFloat(pos.trailAnchor));
    }
    // take-profit: a limit on the executable side, which is never better than the mid by more than a tick
    if (pos.takeProfit !== null) {
      if (long) highBelow = Math.min(highBelow, priceToFloat(pos.takeProfit - tick));
      else lowAbove = Math.max(lowAbove, priceToFloat(pos.takeProfit + tick));
    }
    // the close at which maybeBelowMaintenance would fire, with a margin for float rounding
    const threshold = pos.marginUsed * SCREEN_RATIO + SCREEN_SLACK;
    const close8 = pos.entryPrice + ((threshold - acct.balance) * PNL_DIVISOR) / (pos.size * inst.spec.contractSize);
    const pad = Math.abs(close8) * 1e-9 + tick;
    if (long) lowAbove = Math.max(lowAbove, priceToFloat(close8 + pad));
    else highBelow = Math.min(highBelow, priceToFloat(close8 - pad));
  }
  out.lowAbove = lowAbove;
  out.highBelow = highBelow;
  out.until = inst.nextFundingAt;
  return out;
}

/** Cheap float screen so the exact BigInt check runs only near the line. */
export function maybeBelowMaintenance(state: EngineState, acct: EngineAccount, pos: EnginePosition, inst: EngineInstrument): boolean {
  let equity: number = acct.balance;
  let margin = 0;
  if (acct.positions.size === 1) {
    // the common case (one position, on the bar's instrument): no iteration at all
    equity += (pos.size * ((inst.bar as Bar).close * PRICE_SCALE - pos.entryPrice) * inst.spec.contractSize) / PNL_DIVISOR;
    margin = pos.marginUsed;
  } else {
    for (const p of acct.positions.values()) {
      const i = state.instruments.get(p.instrumentId);
      if (!i?.bar) continue;
      equity += (p.size * (i.bar.close * PRICE_SCALE - p.entryPrice) * i.spec.contractSize) / PNL_DIVISOR;
      margin += p.marginUsed;
    }
  }
  return equity < margin * SCREEN_RATIO + SCREEN_SLACK;
}

/**
 * The bars on which no working order of one instrument can act (fill, trigger or trail): every
 * bar with low > lowAbove and high < highBelow (mid prices). `count` is the number of working
 * orders (of every instrument) it was computed from. Empty (lowAbove = Infinity) when some
 * order may act on any bar: a market order, a triggered stop, a trailing order.
 */
export interface OrderBand {
  lowAbove: number;
  highBelow: number;
  count: number;
}

/** A margin on the float screen: the exact executable prices (core/fill.ts) are at most a tick away. */
const ORDER_PAD = 1e-9;

/**
 * The order band of `inst` (see OrderBand). Conservative: a limit buy cannot fill while the ask
 * of the low stays two ticks above its limit (the ask of the open is no lower: open >= low), a
 * limit sell while the bid of the high stays two ticks below; a stop (or an untriggered
 * stop-limit) does not trigger while the range stays short of its level (fill.stopTriggers).
 */
export function orderBandOf(orders: readonly EngineOrder[], inst: EngineInstrument, out: OrderBand): OrderBand {
  out.count = orders.length;
  out.lowAbove = Infinity;
  out.highBelow = -Infinity;
  const tick = inst.params.tick as number;
  const ask = PRICE_SCALE * (1 + inst.params.spread / 2);
  const bid = PRICE_SCALE * (1 - inst.params.spread / 2);
  if (!(ask > 0 && bid > 0) || !(tick > 0)) return out;
  let lowAbove = -Infinity;
  let highBelow = Infinity;
  for (const o of orders) {
    if (o.instrumentId !== inst.id || (o.status !== 'pending' && o.status !== 'partial')) continue; // never acts (Engine.processOrder)
    if (o.trail !== null || o.type === 'market') return out;
    const triggered = o.triggeredAt !== null;
    if (o.type === 'limit' || (o.type === 'stop_limit' && triggered)) {
      const limit = o.price as number;
      if (o.side === 'buy') lowAbove = Math.max(lowAbove, ((limit + 2 * tick) / ask) * (1 + ORDER_PAD));
      else if (limit > 2 * tick) highBelow = Math.min(highBelow, ((limit - 2 * tick) / bid) * (1 - ORDER_PAD));
      else return out;
    } else if (o.type === 'stop' && triggered) {
      return out; // its rest works as a market order
    } else {
      const s = (o.stopPrice as number) / PRICE_SCALE; // the level stopTriggers compares the range with
      if (o.side === 'buy') highBelow = Math.min(highBelow, s);
      else lowAbove = Math.max(lowAbove, s);
    }
  }
  out.lowAbove = lowAbove;
  out.highBelow = highBelow;
  return out;
}
