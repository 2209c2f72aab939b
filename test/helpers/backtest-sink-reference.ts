/**
 * THE REFERENCE for test/unit/backtest-sink.test.ts: the backtest sink as it was before it kept
 * its rows as numbers in chunks (one object per fill and per trade), kept as it was.
 *
 * The backtest's sink: instead of rows it keeps the fills and assembles round-trip trades
 * (flat -> open -> flat, a flip closes one trade and opens the next) with their fees, funding
 * and the reasons behind entry and exit (each order carries its reason). Orders of the strategy
 * that were rejected, or cut at the fill for want of margin, are kept with their reasons.
 */
import type { EntryType } from '../../src/core/ledger.ts';
import { formatQty, type Money } from '../../src/core/money.ts';
import type { BacktestFill, BacktestTrade, OrderIssue } from '../../src/engine/backtest-rows.ts';
import { orderReason, type EngineOrder, type EnginePosition, type EngineSink } from '../../src/engine/state.ts';

export type { BacktestFill, BacktestTrade, OrderIssue } from '../../src/engine/backtest-rows.ts';

interface OpenTrade {
  readonly positionId: string;
  side: 'long' | 'short';
  entryTime: number;
  entryPrice: number;
  size: number;
  maxSize: number;
  fees: number;
  margin: number;
  entryReason: string;
}

export class RowBacktestSink implements EngineSink {
  readonly fills: BacktestFill[] = [];
  readonly trades: BacktestTrade[] = [];
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
      decision: orderReason(o) ?? '',
    });
  }

  private recordFill(o: EngineOrder, reason: string): void {
    this.lastFill = o;
    this.lastReason = reason;
    this.feeLeft = o.commission;
    this.fills.push({
      time: o.filledAt as number,
      side: o.side,
      size: o.size,
      price: o.fillPrice as number,
      fee: o.commission,
      slippage: o.slippage,
      source: o.source,
      reason,
    });
  }

  private reasonOf(o: EngineOrder): string {
    const r = orderReason(o);
    if (r != null) return r;
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
    this.open.push({
      positionId: p.id,
      side: p.size > 0 ? 'long' : 'short',
      entryTime: p.openedAt,
      entryPrice: p.entryPrice,
      size: Math.abs(p.size),
      maxSize: Math.abs(p.size),
      fees: this.takeFee(null),
      margin: p.marginUsed,
      entryReason: f ? this.lastReason : '',
    });
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
    this.trades.push({
      side: t.side,
      entryTime: t.entryTime,
      entryPrice: t.entryPrice,
      exitTime: p.closedAt as number,
      exitPrice: f?.fillPrice ?? p.entryPrice,
      size: t.maxSize,
      pnl: p.realizedPnl - fees - p.fundingPaid,
      grossPnl: p.realizedPnl,
      fees,
      funding: p.fundingPaid,
      margin: t.margin,
      entryReason: t.entryReason,
      exitReason: f ? this.lastReason : '',
    });
  }

  journal(_accountId: string, type: EntryType, amount: Money): void {
    if (type === 'commission') this.totalFees -= amount;
    else if (type === 'funding') this.totalFunding -= amount;
  }
}
