/**
 * Applying a priced fill to an account: netting, commission, realised PnL, margin, and the
 * journals that record each money movement. Shared by every kind of fill.
 *
 * Margin rule: a fill that adds exposure is accepted only if, after it (fees paid, the new
 * position marked at the mid), equity - margin used >= 0. Fills that only reduce are always
 * accepted: closing must stay possible.
 */
import type { Fill } from '../core/fill.ts';
import type { EntryType } from '../core/ledger.ts';
import { addMoney, applyPpm, notional, pnl, priceFromFloat, type Money, type Price, type Qty } from '../core/money.ts';
import { applyFillTo, emptyNetting, maintenanceOf, marginFor, type NettingOut, type NettingResult } from '../core/position.ts';
import { DAY_MS } from '../core/time.ts';
import { journalTexts } from './journal-text.ts';
import { openedPosition, releasePosition } from './record-pool.ts';
import type { EngineAccount, EngineInstrument, EnginePosition, EngineSink, EngineState, RecordPool } from './state.ts';

export interface AccountMarks {
  readonly equity: Money;
  readonly unrealized: Money;
  readonly marginUsed: Money;
  readonly maintenance: Money;
  readonly available: Money;
}

/** Mark of an instrument: the mid (close) of its latest bar, in Price units. */
export function markOf(inst: EngineInstrument): Price | null {
  return inst.bar ? priceFromFloat(inst.bar.close) : null;
}

export function accountMarks(state: EngineState, acct: EngineAccount): AccountMarks {
  let unrealized = 0;
  let marginUsed = 0;
  for (const p of acct.positions.values()) {
    const inst = state.instruments.get(p.instrumentId);
    const mark = inst ? markOf(inst) : null;
    if (mark !== null && inst) unrealized += pnl(p.size, p.entryPrice, mark, inst.spec.contractSize);
    marginUsed += p.marginUsed;
  }
  const equity = acct.balance + unrealized;
  return {
    equity: equity as Money,
    unrealized: unrealized as Money,
    marginUsed: marginUsed as Money,
    maintenance: maintenanceOf(marginUsed as Money),
    available: (equity - marginUsed) as Money,
  };
}

/** Post a journal and keep the in-memory balance and today's trading result in step. */
export function post(
  sink: EngineSink,
  acct: EngineAccount,
  type: EntryType,
  amount: Money,
  time: number,
  refs: { orderId?: string; positionId?: string; description: string },
): void {
  if (amount === 0) return;
  // the sink first: a store refuses a balance past its limits with the account's name and figures
  sink.journal(acct.id, type, amount, time, refs);
  acct.balance = addMoney(acct.balance, amount);
  if (type !== 'deposit' && type !== 'withdrawal') {
    rollDay(acct, time);
    acct.dayPnl = addMoney(acct.dayPnl, amount);
  }
}

export function rollDay(acct: EngineAccount, time: number): void {
  const day = Math.floor(time / DAY_MS);
  if (day !== acct.dayKey) {
    acct.dayKey = day;
    acct.dayPnl = 0 as Money;
  }
}

export interface TradeInput {
  readonly acct: EngineAccount;
  readonly inst: EngineInstrument;
  readonly signedSize: Qty;
  readonly fill: Fill;
  readonly leverage: number;
  readonly orderId: string;
  readonly botId: string | null;
  readonly time: number;
  /** Realised PnL is posted as `liquidation` instead of `trade_pnl`. */
  readonly pnlType?: 'trade_pnl' | 'liquidation';
  /** SL/TP to set on the position when this fill opens or adds exposure. */
  readonly stopLoss?: Price | null;
  readonly takeProfit?: Price | null;
  /** Mid to mark the position at for the margin check; default the instrument's last close. */
  readonly mark?: Price | undefined;
}

export interface TradePreview {
  readonly netting: NettingResult;
  readonly commission: Money;
  /** Margin available before the fill, marked as `availableAfter` is (the same mark). */
  readonly availableBefore: Money;
  readonly availableAfter: Money;
  readonly addsExposure: boolean;
}

/**
 * THE preview record: `previewTrade` rewrites it and returns it, so a fill allocates no preview
 * (a backtest makes tens of thousands). A preview is read before the next one is asked for
 * (the engine is synchronous: place or fill, then commit); nothing keeps it.
 */
const preview: { readonly netting: NettingOut; commission: Money; availableBefore: Money; availableAfter: Money; addsExposure: boolean } = {
  netting: emptyNetting(),
  commission: 0 as Money,
  availableBefore: 0 as Money,
  availableAfter: 0 as Money,
  addsExposure: false,
};

/**
 * The margin of the fill itself (not of the position after it): the part that opens or adds
 * exposure, at the fill price and the order's leverage; 0 for a fill that only reduces.
 */
export function ownMargin(t: TradeInput, pv: TradePreview): Money {
  const opened = pv.netting.openedSize;
  if (opened === 0) return 0 as Money;
  // opening from flat (or the rest of a flip): the position's margin is the fill's own
  if (opened === Math.abs(pv.netting.after.size) && pv.netting.after.entryPrice === t.fill.price) return pv.netting.after.marginUsed;
  return marginFor(opened, t.fill.price, t.inst.spec.contractSize, t.leverage);
}

/** What a fill would do, without doing it (for the margin check). Valid until the next call (see `preview`). */
export function previewTrade(state: EngineState, t: TradeInput): TradePreview {
  const { acct, inst, fill } = t;
  const cs = inst.spec.contractSize;
  const pos = acct.positions.get(inst.id) ?? null;
  const netting = applyFillTo(preview.netting, pos, t.signedSize, fill.price, cs, t.leverage);
  const rate = fill.liquidity === 'maker' ? acct.makerFee : acct.takerFee;
  const commission = applyPpm(notional(t.signedSize, fill.price, cs), rate, 'ceil');
  // The account after the fill: other positions as they are, this one replaced by the result.
  let other = 0;
  let otherMargin = 0;
  if (acct.positions.size > (pos ? 1 : 0)) {
    for (const p of acct.positions.values()) {
      if (p.instrumentId === inst.id) continue;
      const i = state.instruments.get(p.instrumentId);
      const m = i ? markOf(i) : null;
      if (m !== null && i) other += pnl(p.size, p.entryPrice, m, i.spec.contractSize);
      otherMargin += p.marginUsed;
    }
  }
  const mark = t.mark ?? markOf(inst) ?? fill.price;
  const newUnreal = netting.after.size !== 0 ? pnl(netting.after.size, netting.after.entryPrice, mark, cs) : 0;
  const equityAfter = acct.balance + other + newUnreal + netting.realized - commission;
  const marginAfter = otherMargin + netting.after.marginUsed;
  const oldUnreal = pos && pos.size !== 0 ? pnl(pos.size, pos.entryPrice, mark, cs) : 0;
  const availableBefore = acct.balance + other + oldUnreal - otherMargin - (pos?.marginUsed ?? 0);
  preview.commission = commission;
  preview.availableBefore = availableBefore as Money;
  preview.availableAfter = (equityAfter - marginAfter) as Money;
  preview.addsExposure = netting.openedSize > 0;
  return preview;
}

/** The references of a fill's journals, rewritten for each (a sink reads them during `journal` and keeps none). */
const refs: { orderId: string; positionId: string | undefined; description: string } = {
  orderId: '',
  positionId: undefined,
  description: '',
};

/**
 * Apply a previewed fill: journals, then position changes. Returns the position now open (or
 * null). With a pool (record-pool.ts) a closed position's record is put back, and a position
 * opened takes a spare record.
 */
export function commitTrade(
  sink: EngineSink,
  t: TradeInput,
  pv: TradePreview,
  newId: () => string,
  pool: RecordPool | null = null,
): EnginePosition | null {
  const { acct, inst, time } = t;
  const old = acct.positions.get(inst.id) ?? null;
  // read before a flip's new position may take the old record
  const closedPositionId = old?.id;
  const { netting } = pv;
  let current = old;
  if (old && (netting.after.size === 0 || netting.flipped)) {
    old.realizedPnl = addMoney(old.realizedPnl, netting.realized);
    old.size = 0 as Qty;
    old.marginUsed = 0 as Money;
    old.updatedAt = time;
    old.closedAt = time;
    acct.positions.delete(inst.id);
    const holders = inst.holders;
    let h = holders.length - 1;
    while (h >= 0 && (holders[h] as (typeof holders)[number]).pos !== old) h--;
    if (h >= 0) {
      // the later ones move down a place (splice would allocate an array of the removed entry)
      for (let k = h + 1; k < holders.length; k++) holders[k - 1] = holders[k] as (typeof holders)[number];
      holders.pop();
    }
    sink.positionClosed(old);
    releasePosition(pool, old);
    current = null;
  } else if (old) {
    old.realizedPnl = addMoney(old.realizedPnl, netting.realized);
    old.size = netting.after.size;
    old.entryPrice = netting.after.entryPrice;
    old.leverage = netting.after.leverage;
    old.marginUsed = netting.after.marginUsed;
    old.updatedAt = time;
    if (netting.openedSize > 0) {
      if (t.stopLoss !== undefined && t.stopLoss !== null) old.stopLoss = t.stopLoss;
      if (t.takeProfit !== undefined && t.takeProfit !== null) old.takeProfit = t.takeProfit;
    }
    sink.positionUpdated(old);
  }
  if (!current && netting.after.size !== 0) {
    current = openedPosition(pool, newId(), acct, inst, netting.after, t.stopLoss ?? null, t.takeProfit ?? null, t.botId, time);
    acct.positions.set(inst.id, current);
    inst.holders.push({ acct, pos: current });
    sink.positionOpened(current);
  }
  const texts = journalTexts(inst.spec);
  const r = refs;
  r.orderId = t.orderId;
  r.positionId = current?.id ?? closedPositionId;
  r.description = t.fill.liquidity === 'maker' ? texts.makerFee : texts.takerFee;
  post(sink, acct, 'commission', -pv.commission as Money, time, r);
  if (netting.closedSize > 0) {
    r.positionId = closedPositionId;
    r.description = texts.pnl;
    post(sink, acct, t.pnlType ?? 'trade_pnl', netting.realized, time, r);
  }
  return current;
}
