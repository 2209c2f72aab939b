/**
 * The backtest's sink: instead of rows it keeps the fills and assembles round-trip trades
 * (flat -> open -> flat, a flip closes one trade and opens the next) with their fees, funding
 * and the reasons behind entry and exit (each order carries its reason). Orders of the strategy
 * that were rejected, or cut at the fill for want of margin, are kept with their reasons.
 */
import type { EntryType } from '../core/ledger.ts';
import type { Money } from '../core/money.ts';
import { issueRows, Rows, type BacktestFill, type BacktestTrade, type OrderIssue, type RawIssue } from './backtest-rows.ts';
import { orderReason, type EngineOrder, type EnginePosition, type EngineSink, type OrderSource, type ReasonSource } from './state.ts';

export type { BacktestFill, BacktestTrade, OrderIssue } from './backtest-rows.ts';

interface OpenTrade {
  positionId: string;
  side: 'long' | 'short';
  entryTime: number;
  entryPrice: number;
  size: number;
  maxSize: number;
  fees: number;
  margin: number;
  /** The fill whose reason opened it (-1: none). */
  entryFill: number;
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
const SOURCES: readonly OrderSource[] = ['manual', 'bot', 'stop_loss', 'take_profit', 'liquidation', 'close'];

/** SOURCES.indexOf(source), without a search. */
function sourceIndex(source: OrderSource): number {
  switch (source) {
    case 'manual':
      return 0;
    case 'bot':
      return 1;
    case 'stop_loss':
      return 2;
    case 'take_profit':
      return 3;
    case 'liquidation':
      return 4;
    case 'close':
      return 5;
  }
}

// the numbers of a fill row, and of a trade row
const F_TIME = 0;
const F_SIDE = 1;
const F_SIZE = 2;
const F_PRICE = 3;
const F_FEE = 4;
const F_SLIP = 5;
const F_SOURCE = 6;
const F_REASON = 7; // the entry of a reason kept unformatted in its source (-1: the source is the text)
const F_REASON_SOURCE = 8; // where the reason is: an index in `reasonSources`
const T_SIDE = 0;
const T_ENTRY_TIME = 1;
const T_ENTRY_PRICE = 2;
const T_EXIT_TIME = 3;
const T_EXIT_PRICE = 4;
const T_SIZE = 5;
const T_PNL = 6;
const T_GROSS = 7;
const T_FEES = 8;
const T_FUNDING = 9;
const T_MARGIN = 10;
const T_ENTRY_FILL = 11;
const T_EXIT_FILL = 12;

/**
 * The fills and trades of a run as rows of numbers in chunks (a trade's reasons are those of its
 * fills, by index): tens of thousands of fills leave a few typed arrays behind (and the list of
 * their reasons' sources: the strategy's reason log, or a text per fill for a strategy that
 * gives texts) instead of objects and boxed numbers per row, so the garbage collector has next
 * to nothing to copy while a run goes on. `fills` and `trades` build the row objects when first
 * read (after the run), once, formatting the reasons then.
 */
export class BacktestSink implements EngineSink {
  totalFees = 0;
  totalFunding = 0;
  /** The issues as recorded (their texts not built yet), and their rows once read. */
  private readonly rejectedRaw: RawIssue[] = [];
  private readonly resizedRaw: RawIssue[] = [];
  private readonly rejectedRows: OrderIssue[] = [];
  private readonly resizedRows: OrderIssue[] = [];
  // The last fill's numbers, copied (its order record may be rewritten for a later order: record-pool.ts)
  private hasFill = false;
  private lastSize = 0;
  private lastFee = 0;
  private lastPrice = 0;
  /** Part of the last fill's fee not yet attributed to a trade (a flip splits it). */
  private feeLeft = 0;
  /** The trades still open, by position (a backtest has one at a time: a list, not a Map that reallocates as it empties). */
  private readonly open: OpenTrade[] = [];
  /** Records of closed trades, reused for the next open one (no object per trade). */
  private readonly spare: OpenTrade[] = [];

  private readonly fillNums = new Rows(9);
  /**
   * Where the fills' reasons are: texts, and the logs that keep reasons unformatted (a run has
   * one, the strategy's: a list that does not grow with the fills).
   */
  private readonly reasonSources: Array<string | ReasonSource> = [];
  /** The reasons of the fills read so far, formatted (by fill). */
  private readonly reasonTexts: string[] = [];
  private readonly fillRows: BacktestFill[] = [];
  private readonly tradeNums = new Rows(13);
  private readonly tradeRows: BacktestTrade[] = [];

  /** Every fill, in order (row objects built on first read). */
  get fills(): readonly BacktestFill[] {
    const rows = this.fillRows;
    const f = this.fillNums;
    for (let k = rows.length; k < f.length; k++) {
      rows.push({
        time: f.get(k, F_TIME),
        side: SIDES[f.get(k, F_SIDE)] as 'buy' | 'sell',
        size: f.get(k, F_SIZE),
        price: f.get(k, F_PRICE),
        fee: f.get(k, F_FEE),
        slippage: f.get(k, F_SLIP),
        source: SOURCES[f.get(k, F_SOURCE)] as string,
        reason: this.reasonAt(k),
      });
    }
    return rows;
  }

  /** Every closed round trip, in order (row objects built on first read). */
  get trades(): readonly BacktestTrade[] {
    const rows = this.tradeRows;
    for (let k = rows.length; k < this.tradeNums.length; k++) {
      const row = {} as BacktestTrade;
      this.readTrade(k, row); // its fields in the interface's order, as the rows always had them
      rows.push(row);
    }
    return rows;
  }

  /** The strategy's orders rejected, in order (rows built on read: a sweep reads only how many). */
  get rejected(): readonly OrderIssue[] {
    return issueRows(this.rejectedRaw, this.rejectedRows);
  }

  /** The strategy's orders filled smaller than wanted, in order (rows built on read). */
  get resized(): readonly OrderIssue[] {
    return issueRows(this.resizedRaw, this.resizedRows);
  }

  /** How many orders were rejected, resized (without building their rows). */
  get rejectedCount(): number {
    return this.rejectedRaw.length;
  }

  get resizedCount(): number {
    return this.resizedRaw.length;
  }

  /** Closed round trips so far (`trades` without building its rows). */
  get tradeCount(): number {
    return this.tradeNums.length;
  }

  /** `trades[k].pnl` without building the rows (metrics read only a trade's PnL and margin). */
  tradePnl(k: number): number {
    return this.tradeNums.get(k, T_PNL);
  }

  /** `trades[k].margin` without building the rows. */
  tradeMargin(k: number): number {
    return this.tradeNums.get(k, T_MARGIN);
  }

  /** The reason of fill `k` (formatted once, when first read). */
  private reasonAt(k: number): string {
    const known = this.reasonTexts[k];
    if (known !== undefined) return known;
    const r = this.reasonSources[this.fillNums.get(k, F_REASON_SOURCE)] as string | ReasonSource;
    const text = typeof r === 'string' ? r : r.text(this.fillNums.get(k, F_REASON));
    this.reasonTexts[k] = text;
    return text;
  }

  /** The index of a reason's source (the last one again, or a new one). */
  private sourceIndex(r: string | ReasonSource): number {
    const list = this.reasonSources;
    const last = list.length - 1;
    if (last >= 0 && list[last] === r) return last;
    list.push(r);
    return last + 1;
  }

  private openTrade(positionId: string): number {
    const open = this.open;
    for (let k = 0; k < open.length; k++) if ((open[k] as OpenTrade).positionId === positionId) return k;
    return -1;
  }

  orderCreated(o: EngineOrder): void {
    // created already filled (a market order at the quote), rejected, or left working to fill later
    if (o.status === 'filled') this.recordFill(o);
    else if (o.status === 'rejected') this.issue(this.rejectedRaw, o, o.createdAt, null);
  }

  orderUpdated(o: EngineOrder): void {
    if (o.status === 'filled') {
      this.recordFill(o);
      if (o.requestedSize != null && o.source === 'bot') this.issue(this.resizedRaw, o, o.filledAt as number, o.requestedSize);
    } else if (o.status === 'rejected') this.issue(this.rejectedRaw, o, o.canceledAt ?? o.createdAt, null);
  }

  private issue(list: RawIssue[], o: EngineOrder, time: number, requested: number | null): void {
    if (o.source !== 'bot') return;
    // what the row needs of the order, copied (the order's texts are built when the row is read)
    const lazy = o.reason == null && !!o.reasonLog;
    list.push({
      time,
      side: o.side,
      size: o.size,
      requested,
      rejectReason: o.rejectReason,
      code: requested === null ? o.rejectCode : null,
      decision: lazy ? null : (orderReason(o) ?? ''),
      decisionLog: lazy ? (o.reasonLog ?? null) : null,
      decisionAt: o.reasonAt ?? -1,
    });
  }

  private recordFill(o: EngineOrder): void {
    this.hasFill = true;
    this.lastSize = o.size;
    this.lastFee = o.commission;
    this.lastPrice = o.fillPrice as number;
    this.feeLeft = o.commission;
    const f = this.fillNums;
    const at = f.add();
    const row = f.cur;
    row[at + F_TIME] = o.filledAt as number;
    row[at + F_SIDE] = o.side === 'buy' ? 0 : 1;
    row[at + F_SIZE] = o.size;
    row[at + F_PRICE] = o.fillPrice as number;
    row[at + F_FEE] = o.commission;
    row[at + F_SLIP] = o.slippage;
    row[at + F_SOURCE] = sourceIndex(o.source);
    // a reason kept unformatted stays so (with its entry) until read
    if (o.reason == null && o.reasonLog) {
      row[at + F_REASON] = o.reasonAt ?? 0;
      row[at + F_REASON_SOURCE] = this.sourceIndex(o.reasonLog);
    } else {
      row[at + F_REASON] = -1;
      const text = this.reasonOf(o);
      flatten(text);
      row[at + F_REASON_SOURCE] = this.sourceIndex(text);
    }
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
    if (!this.hasFill || this.feeLeft === 0) return 0;
    const part = size === null ? this.feeLeft : Math.min(this.feeLeft, Math.round(this.lastFee * Math.min(1, size / this.lastSize)));
    this.feeLeft -= part;
    return part;
  }

  positionOpened(p: EnginePosition): void {
    const t = this.spare.pop() ?? {
      positionId: '',
      side: 'long',
      entryTime: 0,
      entryPrice: 0,
      size: 0,
      maxSize: 0,
      fees: 0,
      margin: 0,
      entryFill: -1,
    };
    t.positionId = p.id;
    t.side = p.size > 0 ? 'long' : 'short';
    t.entryTime = p.openedAt;
    t.entryPrice = p.entryPrice;
    t.size = Math.abs(p.size);
    t.maxSize = Math.abs(p.size);
    t.fees = this.takeFee(null);
    t.margin = p.marginUsed;
    t.entryFill = this.hasFill ? this.fillNums.length - 1 : -1;
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
    const fees = t.fees + this.takeFee(t.size);
    // realizedPnl and fundingPaid accumulate on the position over its whole life.
    const rows = this.tradeNums;
    const at = rows.add();
    const row = rows.cur;
    row[at + T_SIDE] = t.side === 'long' ? 0 : 1;
    row[at + T_ENTRY_TIME] = t.entryTime;
    row[at + T_ENTRY_PRICE] = t.entryPrice;
    row[at + T_EXIT_TIME] = p.closedAt as number;
    row[at + T_EXIT_PRICE] = this.hasFill ? this.lastPrice : p.entryPrice;
    row[at + T_SIZE] = t.maxSize;
    row[at + T_PNL] = p.realizedPnl - fees - p.fundingPaid;
    row[at + T_GROSS] = p.realizedPnl;
    row[at + T_FEES] = fees;
    row[at + T_FUNDING] = p.fundingPaid;
    row[at + T_MARGIN] = t.margin;
    row[at + T_ENTRY_FILL] = t.entryFill;
    row[at + T_EXIT_FILL] = this.hasFill ? this.fillNums.length - 1 : -1;
    t.positionId = '';
    this.spare.push(t);
  }

  journal(_accountId: string, type: EntryType, amount: Money): void {
    if (type === 'commission') this.totalFees -= amount;
    else if (type === 'funding') this.totalFunding -= amount;
  }

  /** Trade `k` (0-based) copied into `into`: one record reused for every trade, no object per row (output, metrics). */
  readTrade(k: number, into: { -readonly [K in keyof BacktestTrade]: BacktestTrade[K] }): void {
    const t = this.tradeNums;
    const entryFill = t.get(k, T_ENTRY_FILL);
    const exitFill = t.get(k, T_EXIT_FILL);
    into.side = TRADE_SIDES[t.get(k, T_SIDE)] as 'long' | 'short';
    into.entryTime = t.get(k, T_ENTRY_TIME);
    into.entryPrice = t.get(k, T_ENTRY_PRICE);
    into.exitTime = t.get(k, T_EXIT_TIME);
    into.exitPrice = t.get(k, T_EXIT_PRICE);
    into.size = t.get(k, T_SIZE);
    into.pnl = t.get(k, T_PNL);
    into.grossPnl = t.get(k, T_GROSS);
    into.fees = t.get(k, T_FEES);
    into.funding = t.get(k, T_FUNDING);
    into.margin = t.get(k, T_MARGIN);
    into.entryReason = entryFill < 0 ? '' : this.reasonAt(entryFill);
    into.exitReason = exitFill < 0 ? '' : this.reasonAt(exitFill);
  }
}
