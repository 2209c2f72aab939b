/**
 * The backtest's sink: instead of rows it keeps the fills and assembles round-trip trades
 * (flat -> open -> flat, a flip closes one trade and opens the next) with their fees, funding
 * and the reasons behind entry and exit.
 */
import type { EntryType } from '../core/ledger.ts';
import type { Money } from '../core/money.ts';
import type { EngineOrder, EnginePosition, EngineSink } from './state.ts';

export interface BacktestFill {
  readonly time: number; readonly side: 'buy' | 'sell'; readonly size: number; readonly price: number;
  readonly fee: number; readonly slippage: number; readonly source: string; readonly reason: string;
}

export interface BacktestTrade {
  readonly side: 'long' | 'short';
  readonly entryTime: number; readonly entryPrice: number;
  readonly exitTime: number; readonly exitPrice: number;
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

interface OpenTrade {
  side: 'long' | 'short'; entryTime: number; entryPrice: number; size: number; maxSize: number;
  fees: number; margin: number; entryReason: string;
}

export class BacktestSink implements EngineSink {
  readonly fills: BacktestFill[] = [];
  readonly trades: BacktestTrade[] = [];
  totalFees = 0;
  totalFunding = 0;
  /** Why each order still working was placed (a handful at most: a list beats a Map's churn). */
  private readonly reasonOrders: EngineOrder[] = [];
  private readonly reasonTexts: string[] = [];
  private lastFill: EngineOrder | null = null;
  private lastReason = '';
  /** Part of the last fill's fee not yet attributed to a trade (a flip splits it). */
  private feeLeft = 0;
  private readonly open = new Map<string, OpenTrade>();

  /** The reason for the next order(s) the engine creates; set by the runner before placing. */
  nextReason: string | null = null;

  orderCreated(o: EngineOrder): void {
    // created already filled (a market order at the quote), or left working to fill later
    if (o.status === 'filled') this.recordFill(o, this.nextReason ?? this.reasonOf(o));
    else if (o.status === 'pending' && this.nextReason !== null) { this.reasonOrders.push(o); this.reasonTexts.push(this.nextReason); }
  }

  orderUpdated(o: EngineOrder): void {
    if (o.status === 'filled') this.recordFill(o, this.takeReason(o) ?? this.reasonOf(o));
    else if (o.status !== 'pending') this.takeReason(o);
  }

  private recordFill(o: EngineOrder, reason: string): void {
    this.lastFill = o;
    this.lastReason = reason;
    this.feeLeft = o.commission;
    this.fills.push({ time: o.filledAt as number, side: o.side, size: o.size, price: o.fillPrice as number, fee: o.commission,
      slippage: o.slippage, source: o.source, reason });
  }

  /** The reason an order was placed with, forgotten once it is done. */
  private takeReason(o: EngineOrder): string | null {
    const i = this.reasonOrders.indexOf(o);
    if (i < 0) return null;
    const text = this.reasonTexts[i] as string;
    this.reasonOrders.splice(i, 1);
    this.reasonTexts.splice(i, 1);
    return text;
  }

  private reasonOf(o: EngineOrder): string {
    return (o.source === 'stop_loss' ? 'stop-loss hit' : o.source === 'take_profit' ? 'take-profit hit'
      : o.source === 'liquidation' ? 'liquidated below maintenance margin' : o.source === 'close' ? 'end of backtest' : o.source);
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
    this.open.set(p.id, {
      side: p.size > 0 ? 'long' : 'short', entryTime: p.openedAt, entryPrice: p.entryPrice, size: Math.abs(p.size), maxSize: Math.abs(p.size),
      fees: this.takeFee(null), margin: p.marginUsed, entryReason: f ? this.lastReason : '',
    });
  }

  positionUpdated(p: EnginePosition): void {
    const t = this.open.get(p.id);
    if (!t) return;
    if (Math.abs(p.size) !== t.size) t.fees += this.takeFee(null); // an add or a partial reduce
    t.entryPrice = p.entryPrice;
    t.size = Math.abs(p.size);
    if (t.size > t.maxSize) { t.maxSize = t.size; t.margin = Math.max(t.margin, p.marginUsed); }
  }

  positionClosed(p: EnginePosition): void {
    const t = this.open.get(p.id);
    if (!t) return;
    this.open.delete(p.id);
    const f = this.lastFill;
    const fees = t.fees + this.takeFee(t.size);
    // realizedPnl and fundingPaid accumulate on the position over its whole life.
    this.trades.push({
      side: t.side, entryTime: t.entryTime, entryPrice: t.entryPrice, exitTime: p.closedAt as number,
      exitPrice: (f?.fillPrice ?? p.entryPrice) as number, size: t.maxSize,
      pnl: p.realizedPnl - fees - p.fundingPaid, grossPnl: p.realizedPnl, fees, funding: p.fundingPaid, margin: t.margin,
      entryReason: t.entryReason, exitReason: f ? this.lastReason : '',
    });
  }

  journal(_accountId: string, type: EntryType, amount: Money): void {
    if (type === 'commission') this.totalFees -= amount;
    else if (type === 'funding') this.totalFunding -= amount;
  }
}
