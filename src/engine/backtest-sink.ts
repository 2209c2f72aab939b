/**
 * The backtest's sink: instead of rows it keeps the fills and assembles round-trip trades
 * (flat -> open -> flat, a flip closes one trade and opens the next) with their fees, funding
 * and the reasons behind entry and exit (each order carries its reason). Orders of the strategy
 * that were rejected, or cut at the fill for want of margin, are kept with their reasons.
 */
import type { EntryType } from '../core/ledger.ts';
import { formatQty, type Money } from '../core/money.ts';
import type { RejectCode } from '../core/orders.ts';
import type { EngineOrder, EnginePosition, EngineSink } from './state.ts';

export interface BacktestFill {
  readonly time: number;
  readonly side: 'buy' | 'sell';
  readonly size: number;
  readonly price: number;
  readonly fee: number;
  readonly slippage: number;
  readonly source: string;
  readonly reason: string;
}

export interface BacktestTrade {
  readonly side: 'long' | 'short';
  readonly entryTime: number;
  readonly entryPrice: number;
  readonly exitTime: number;
  readonly exitPrice: number;
  readonly size: number;
  /** Net of fees and funding, money units. */
  readonly pnl: number;
  readonly grossPnl: number;
  readonly fees: number;
  readonly funding: number;
  /** Margin posted at entry (money units): the base of returnPct. */
  readonly margin: number;
  readonly entryReason: string;
  readonly exitReason: string;
}

/** A strategy order that was rejected, or filled smaller than wanted (resized). */
export interface OrderIssue {
  readonly time: number;
  readonly side: 'buy' | 'sell';
  /** The size tried (rejected) or filled (resized). */
  readonly size: number;
  /** The size wanted (resized), or null. */
  readonly requested: number | null;
  readonly reason: string;
  /** The rejection's code (core/orders.ts RejectCode); null for a resize. */
  readonly code: RejectCode | null;
  /** Why the strategy wanted it. */
  readonly decision: string;
}

interface OpenTrade {
  positionId: string;
  side: 'long' | 'short';
  entryTime: number;
  entryPrice: number;
  size: number;
  maxSize: number;
  fees: number;
  margin: number;
  entryReason: string;
}

/** Grow a column to hold `n` rows (doubled: amortised O(1) appends). */
function grown(c: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  if (n <= c.length) return c;
  const next = new Float64Array(Math.max(n, c.length * 2));
  next.set(c);
  return next;
}

/**
 * A text built by concatenation (a strategy's reason) is a tree of pieces; reading one of its
 * characters makes V8 join it into one string in place, so the text kept for each fill is one
 * object for the garbage collector to copy, not a dozen.
 */
function flatten(text: string): void {
  void text.charCodeAt(0);
}

const SIDES = ['buy', 'sell'] as const;
const TRADE_SIDES = ['long', 'short'] as const;

/**
 * The fills and trades of a run as columns (struct of arrays): tens of thousands of fills leave
 * a few typed arrays and two lists of shared strings behind instead of an object (and boxed
 * numbers) per row, so the garbage collector has next to nothing to copy while a run goes on.
 * `fills` and `trades` build the row objects when first read (after the run), once.
 */
export class BacktestSink implements EngineSink {
  totalFees = 0;
  totalFunding = 0;
  readonly rejected: OrderIssue[] = [];
  readonly resized: OrderIssue[] = [];
  private lastFill: EngineOrder | null = null;
  private lastReason = '';
  /** Part of the last fill's fee not yet attributed to a trade (a flip splits it). */
  private feeLeft = 0;
  /** The trades still open, by position (a backtest has one at a time: a list, not a Map that reallocates as it empties). */
  private readonly open: OpenTrade[] = [];
  /** Records of closed trades, reused for the next open one (no object per trade). */
  private readonly spare: OpenTrade[] = [];

  // fills: time, side (0 buy, 1 sell), size, price, fee, slippage, source, reason
  private nFills = 0;
  private fTime = new Float64Array(64);
  private fSide = new Float64Array(64);
  private fSize = new Float64Array(64);
  private fPrice = new Float64Array(64);
  private fFee = new Float64Array(64);
  private fSlip = new Float64Array(64);
  private readonly fSource: string[] = [];
  private readonly fReason: string[] = [];
  private fillRows: BacktestFill[] = [];

  // trades: side (0 long, 1 short), times, prices, size, money figures, reasons
  private nTrades = 0;
  private tSide = new Float64Array(64);
  private tEntryTime = new Float64Array(64);
  private tEntryPrice = new Float64Array(64);
  private tExitTime = new Float64Array(64);
  private tExitPrice = new Float64Array(64);
  private tSize = new Float64Array(64);
  private tPnl = new Float64Array(64);
  private tGross = new Float64Array(64);
  private tFees = new Float64Array(64);
  private tFunding = new Float64Array(64);
  private tMargin = new Float64Array(64);
  private readonly tEntryReason: string[] = [];
  private readonly tExitReason: string[] = [];
  private tradeRows: BacktestTrade[] = [];

  /** Every fill, in order (row objects built on first read). */
  get fills(): readonly BacktestFill[] {
    const rows = this.fillRows;
    for (let k = rows.length; k < this.nFills; k++) {
      rows.push({
        time: this.fTime[k] as number,
        side: SIDES[this.fSide[k] as number] as 'buy' | 'sell',
        size: this.fSize[k] as number,
        price: this.fPrice[k] as number,
        fee: this.fFee[k] as number,
        slippage: this.fSlip[k] as number,
        source: this.fSource[k] as string,
        reason: this.fReason[k] as string,
      });
    }
    return rows;
  }

  /** Every closed round trip, in order (row objects built on first read). */
  get trades(): readonly BacktestTrade[] {
    const rows = this.tradeRows;
    for (let k = rows.length; k < this.nTrades; k++) {
      rows.push({
        side: TRADE_SIDES[this.tSide[k] as number] as 'long' | 'short',
        entryTime: this.tEntryTime[k] as number,
        entryPrice: this.tEntryPrice[k] as number,
        exitTime: this.tExitTime[k] as number,
        exitPrice: this.tExitPrice[k] as number,
        size: this.tSize[k] as number,
        pnl: this.tPnl[k] as number,
        grossPnl: this.tGross[k] as number,
        fees: this.tFees[k] as number,
        funding: this.tFunding[k] as number,
        margin: this.tMargin[k] as number,
        entryReason: this.tEntryReason[k] as string,
        exitReason: this.tExitReason[k] as string,
      });
    }
    return rows;
  }

  private openTrade(positionId: string): number {
    const open = this.open;
    for (let k = 0; k < open.length; k++) if ((open[k] as OpenTrade).positionId === positionId) return k;
    return -1;
  }

  orderCreated(o: EngineOrder): void {
    // created already filled (a market order at the quote), rejected, or left working to fill later
    if (o.status === 'filled') this.recordFill(o, this.reasonOf(o));
    else if (o.status === 'rejected') this.issue(this.rejected, o, o.createdAt, null);
  }

  orderUpdated(o: EngineOrder): void {
    if (o.status === 'filled') {
      this.recordFill(o, this.reasonOf(o));
      if (o.requestedSize != null && o.source === 'bot') this.issue(this.resized, o, o.filledAt as number, o.requestedSize);
    } else if (o.status === 'rejected') this.issue(this.rejected, o, o.canceledAt ?? o.createdAt, null);
  }

  private issue(list: OrderIssue[], o: EngineOrder, time: number, requested: number | null): void {
    if (o.source !== 'bot') return;
    const reason =
      requested === null
        ? (o.rejectReason ?? 'rejected')
        : `size cut from ${formatQty(requested)} to ${formatQty(o.size)}: the margin available at the fill`;
    list.push({
      time,
      side: o.side,
      size: o.size,
      requested,
      reason,
      code: requested === null ? o.rejectCode : null,
      decision: o.reason ?? '',
    });
  }

  private recordFill(o: EngineOrder, reason: string): void {
    flatten(reason);
    this.lastFill = o;
    this.lastReason = reason;
    this.feeLeft = o.commission;
    const k = this.nFills++;
    if (k === this.fTime.length) {
      this.fTime = grown(this.fTime, k + 1);
      this.fSide = grown(this.fSide, k + 1);
      this.fSize = grown(this.fSize, k + 1);
      this.fPrice = grown(this.fPrice, k + 1);
      this.fFee = grown(this.fFee, k + 1);
      this.fSlip = grown(this.fSlip, k + 1);
    }
    this.fTime[k] = o.filledAt as number;
    this.fSide[k] = o.side === 'buy' ? 0 : 1;
    this.fSize[k] = o.size;
    this.fPrice[k] = o.fillPrice as number;
    this.fFee[k] = o.commission;
    this.fSlip[k] = o.slippage;
    this.fSource.push(o.source);
    this.fReason.push(reason);
  }

  private reasonOf(o: EngineOrder): string {
    if (o.reason != null) return o.reason;
    return o.source === 'stop_loss'
      ? 'stop-loss hit'
      : o.source === 'take_profit'
        ? 'take-profit hit'
        : o.source === 'liquidation'
          ? 'liquidated below maintenance margin'
          : o.source === 'close'
            ? 'end of backtest'
            : o.source;
  }

  /** The fee of the fill being applied, for `size` of it (all that is left when size is null). */
  private takeFee(size: number | null): number {
    const f = this.lastFill;
    if (!f || this.feeLeft === 0) return 0;
    const part = size === null ? this.feeLeft : Math.min(this.feeLeft, Math.round(f.commission * Math.min(1, size / f.size)));
    this.feeLeft -= part;
    return part;
  }

  positionOpened(p: EnginePosition): void {
    const f = this.lastFill;
    const t = this.spare.pop() ?? {
      positionId: '',
      side: 'long',
      entryTime: 0,
      entryPrice: 0,
      size: 0,
      maxSize: 0,
      fees: 0,
      margin: 0,
      entryReason: '',
    };
    t.positionId = p.id;
    t.side = p.size > 0 ? 'long' : 'short';
    t.entryTime = p.openedAt;
    t.entryPrice = p.entryPrice;
    t.size = Math.abs(p.size);
    t.maxSize = Math.abs(p.size);
    t.fees = this.takeFee(null);
    t.margin = p.marginUsed;
    t.entryReason = f ? this.lastReason : '';
    this.open.push(t);
  }

  positionUpdated(p: EnginePosition): void {
    const k = this.openTrade(p.id);
    if (k < 0) return;
    const t = this.open[k] as OpenTrade;
    if (Math.abs(p.size) !== t.size) t.fees += this.takeFee(null); // an add or a partial reduce
    t.entryPrice = p.entryPrice;
    t.size = Math.abs(p.size);
    if (t.size > t.maxSize) {
      t.maxSize = t.size;
      t.margin = Math.max(t.margin, p.marginUsed);
    }
  }

  positionClosed(p: EnginePosition): void {
    const k = this.openTrade(p.id);
    if (k < 0) return;
    const t = this.open[k] as OpenTrade;
    for (let j = k + 1; j < this.open.length; j++) this.open[j - 1] = this.open[j] as OpenTrade;
    this.open.pop();
    const f = this.lastFill;
    const fees = t.fees + this.takeFee(t.size);
    // realizedPnl and fundingPaid accumulate on the position over its whole life.
    const n = this.nTrades++;
    if (n === this.tSide.length) {
      this.tSide = grown(this.tSide, n + 1);
      this.tEntryTime = grown(this.tEntryTime, n + 1);
      this.tEntryPrice = grown(this.tEntryPrice, n + 1);
      this.tExitTime = grown(this.tExitTime, n + 1);
      this.tExitPrice = grown(this.tExitPrice, n + 1);
      this.tSize = grown(this.tSize, n + 1);
      this.tPnl = grown(this.tPnl, n + 1);
      this.tGross = grown(this.tGross, n + 1);
      this.tFees = grown(this.tFees, n + 1);
      this.tFunding = grown(this.tFunding, n + 1);
      this.tMargin = grown(this.tMargin, n + 1);
    }
    this.tSide[n] = t.side === 'long' ? 0 : 1;
    this.tEntryTime[n] = t.entryTime;
    this.tEntryPrice[n] = t.entryPrice;
    this.tExitTime[n] = p.closedAt as number;
    this.tExitPrice[n] = f?.fillPrice ?? p.entryPrice;
    this.tSize[n] = t.maxSize;
    this.tPnl[n] = p.realizedPnl - fees - p.fundingPaid;
    this.tGross[n] = p.realizedPnl;
    this.tFees[n] = fees;
    this.tFunding[n] = p.fundingPaid;
    this.tMargin[n] = t.margin;
    this.tEntryReason.push(t.entryReason);
    this.tExitReason.push(f ? this.lastReason : '');
    t.entryReason = '';
    t.positionId = '';
    this.spare.push(t);
  }

  journal(_accountId: string, type: EntryType, amount: Money): void {
    if (type === 'commission') this.totalFees -= amount;
    else if (type === 'funding') this.totalFunding -= amount;
  }
}
