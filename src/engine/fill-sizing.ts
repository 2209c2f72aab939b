/**
 * Orders sized at the fill. A strategy decides at a candle's close, but its order fills at the
 * next candle's open: sizes that depend on money (`--size all`, `--size P%`, a decision's size
 * override) are resolved there, on the equity and available margin at that moment (the open
 * marks the position; a reversal's close leg has already filled and freed its margin), and
 * reduce-only orders are cut to what is left to close.
 *
 *   fraction f   size = equity x f x leverage / (open x contract size)
 *   all          size = available x leverage / (open x contract size)
 * Both are rounded down to the lot step and capped (instrument maximum, a bot's max position).
 * The size is then cut, lot by lot, until the fill passes the engine's margin rule (spread,
 * slippage and fee included); a cut fraction is reported as resized (`requestedSize`), and
 * nothing below the minimum size is traded (the order is rejected with the reason).
 */
import { emptyFill, fillMarketInto, type Bar } from '../core/fill.ts';
import {
  formatCash,
  formatQty,
  formatRatePercent,
  moneyFromFloat,
  moneyToFloat,
  MONEY_SCALE,
  notional,
  QTY_SCALE,
  qtyToFloat,
  pnl,
  priceFromFloat,
  type Price,
  type Qty,
} from '../core/money.ts';
import type { RejectCode } from '../core/orders.ts';
import { markOf, previewTrade, type TradeInput } from './accounting.ts';
import type { EngineAccount, EngineInstrument, EngineOrder, EngineState, FillSizing } from './state.ts';

export type { FillSizing } from './state.ts';

export interface FillProblem {
  readonly status: 'rejected' | 'canceled';
  readonly code: RejectCode | null;
  readonly reason: string;
}

/** Equity, margin used and available of `acct` with `inst` marked at `mark`. */
function marksAt(state: EngineState, acct: EngineAccount, inst: EngineInstrument, mark: Price): { equity: number; margin: number } {
  let equity: number = acct.balance;
  let margin = 0;
  for (const p of acct.positions.values()) {
    const i = p.instrumentId === inst.id ? inst : state.instruments.get(p.instrumentId);
    const m = p.instrumentId === inst.id ? mark : i ? markOf(i) : null;
    if (i && m !== null) equity += pnl(p.size, p.entryPrice, m, i.spec.contractSize);
    margin += p.marginUsed;
  }
  return { equity, margin };
}

/**
 * Adjust a market order about to fill on `bar` at its open: reduce-only cut to the position,
 * sizes resolved. Returns why it cannot fill, or null (the order's size is then final).
 */
export function sizeAtFill(
  state: EngineState,
  acct: EngineAccount,
  inst: EngineInstrument,
  order: EngineOrder,
  bar: Bar,
): FillProblem | null {
  const pos = acct.positions.get(inst.id);
  const dir = order.side === 'buy' ? 1 : -1;
  if (order.reduceOnly) {
    if (!pos || Math.sign(pos.size) === dir) return { status: 'canceled', code: null, reason: 'nothing left to close at the fill' };
    if (order.size > Math.abs(pos.size)) order.size = Math.abs(pos.size) as Qty;
  }
  const sizing = order.sizeAtFill;
  if (!sizing) return null;
  const s = inst.spec;
  const lot = s.minSize as number;
  const mark = priceFromFloat(bar.open);
  const { equity, margin } = marksAt(state, acct, inst, mark);
  const perLot = (bar.open * qtyToFloat(s.contractSize) * lot) / QTY_SCALE; // quote currency (float) per lot at the open
  const budget = sizing.kind === 'fraction' ? (equity * sizing.fraction) / MONEY_SCALE : moneyToFloat(equity - margin);
  let wanted = Math.floor((budget * order.leverage) / perLot + 1e-9);
  let maxLots = Math.floor(s.maxSize / lot);
  if (sizing.max !== null) maxLots = Math.min(maxLots, Math.floor(sizing.max / lot));
  if (wanted > maxLots) wanted = maxLots;
  const oneLotMargin = notional(lot as Qty, mark, s.contractSize, 'ceil') / order.leverage;
  // no closure or text per fill: the texts are built only for a refusal
  if (wanted < 1)
    return {
      status: 'rejected',
      code: sizing.max !== null && sizing.max < lot ? 'risk_blocked' : 'insufficient_margin',
      reason: sizingShortfall(s.symbol, lot, oneLotMargin, bar.open, sizing, equity, margin, budget),
    };
  let lots = wanted;
  if (!fitsAt(state, acct, inst, order, bar, mark, lots * lot)) {
    // the largest number of lots that fits: fits(lo) holds (or lo = 0), fits(hi) does not
    let lo = 0;
    let hi = lots;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fitsAt(state, acct, inst, order, bar, mark, mid * lot)) lo = mid;
      else hi = mid;
    }
    lots = lo;
  }
  if (lots < 1)
    return {
      status: 'rejected',
      code: 'insufficient_margin',
      reason: `${sizingShortfall(s.symbol, lot, oneLotMargin, bar.open, sizing, equity, margin, budget)} (with spread and fees)`,
    };
  if (sizing.kind === 'fraction' && lots < wanted) order.requestedSize = (wanted * lot) as Qty;
  order.size = (lots * lot) as Qty;
  return null;
}

/** Why a size cannot be found: one lot's margin against the budget. */
function sizingShortfall(
  symbol: string,
  lot: number,
  oneLotMargin: number,
  open: number,
  sizing: FillSizing,
  equity: number,
  margin: number,
  budget: number,
): string {
  return (
    `one ${symbol} lot (${formatQty(lot)}) needs ${formatCash(Math.ceil(oneLotMargin))} margin at ${open}; ` +
    `${sizing.kind === 'fraction' ? `${formatRatePercent(sizing.fraction)} of equity ${formatCash(equity)} is ${formatCash(moneyFromFloat(Math.max(0, budget)))}` : `available margin is ${formatCash(equity - margin)}`}`
  );
}

/** The fill and trade of a trial size (rewritten by each `fitsAt`; the preview reads them and keeps none). */
const trialFill = emptyFill();
const trial: { -readonly [K in keyof TradeInput]: TradeInput[K] } = {
  acct: null as unknown as EngineAccount,
  inst: null as unknown as EngineInstrument,
  fill: trialFill,
  signedSize: 0 as Qty,
  leverage: 1,
  orderId: '',
  botId: null,
  time: 0,
  stopLoss: null,
  takeProfit: null,
  pnlType: 'trade_pnl',
  mark: undefined,
};

/** Does `size` of `order` pass the engine's margin rule when filled on `bar` (marked at `mark`)? */
function fitsAt(
  state: EngineState,
  acct: EngineAccount,
  inst: EngineInstrument,
  order: EngineOrder,
  bar: Bar,
  mark: Price,
  size: number,
): boolean {
  const t = trial;
  t.acct = acct;
  t.inst = inst;
  t.fill = fillMarketInto(trialFill, order.side, size as Qty, bar, inst.params);
  t.signedSize = ((order.side === 'buy' ? 1 : -1) * size) as Qty;
  t.leverage = order.leverage;
  t.orderId = order.id;
  t.botId = order.botId;
  t.time = state.clock;
  t.stopLoss = order.stopLoss;
  t.takeProfit = order.takeProfit;
  t.pnlType = 'trade_pnl';
  t.mark = mark;
  const pv = previewTrade(state, t);
  return !pv.addsExposure || pv.availableAfter >= 0;
}
