/**
 * The backtest sink's tables (backtest-sink.ts): rows of numbers appended in chunks, and the
 * strategy orders that were rejected or resized, recorded as figures and built into rows
 * (their texts formatted) when read.
 */
import { formatQty } from '../core/money.ts';
import type { RejectCode } from '../core/orders.ts';
import type { ReasonSource } from './state.ts';

/** A fill of the run, as `BacktestSink.fills` lists it. */
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

/** A closed round trip, as `BacktestSink.trades` lists it. */
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

/** An issue as recorded: the order's figures, its rejection reason and where its decision's reason is. */
export interface RawIssue {
  readonly time: number;
  readonly side: 'buy' | 'sell';
  readonly size: number;
  readonly requested: number | null;
  readonly rejectReason: string | null;
  readonly code: RejectCode | null;
  /** The decision's reason as text, or null when it is entry `decisionAt` of `decisionLog`. */
  readonly decision: string | null;
  readonly decisionLog: ReasonSource | null;
  readonly decisionAt: number;
}

/** The rows of `raw` not built yet, appended to `rows` (returned). */
export function issueRows(raw: readonly RawIssue[], rows: OrderIssue[]): readonly OrderIssue[] {
  for (let k = rows.length; k < raw.length; k++) {
    const i = raw[k] as RawIssue;
    rows.push({
      time: i.time,
      side: i.side,
      size: i.size,
      requested: i.requested,
      reason:
        i.requested === null
          ? (i.rejectReason ?? 'rejected')
          : `size cut from ${formatQty(i.requested)} to ${formatQty(i.size)}: the margin available at the fill`,
      code: i.code,
      decision: i.decision ?? (i.decisionLog as ReasonSource).text(i.decisionAt),
    });
  }
  return rows;
}

/** Rows per chunk of a `Rows` table. */
const CHUNK = 1024;

/**
 * Rows of `width` numbers, appended in fixed-size chunks of a Float64Array: an append allocates
 * nothing (a new chunk every CHUNK rows) and never copies what is already there.
 */
export class Rows {
  private readonly chunks: Float64Array[] = [];
  /** The chunk being filled and the offset of the next row in it. */
  cur = new Float64Array(0);
  at = 0;
  length = 0;

  constructor(private readonly width: number) {}

  /** Append a row: returns the offset in `cur` to write its `width` values at. */
  add(): number {
    if (this.at === this.cur.length) {
      this.cur = new Float64Array(CHUNK * this.width);
      this.chunks.push(this.cur);
      this.at = 0;
    }
    const o = this.at;
    this.at += this.width;
    this.length++;
    return o;
  }

  /** Value `j` of row `k`. */
  get(k: number, j: number): number {
    return (this.chunks[Math.floor(k / CHUNK)] as Float64Array)[(k % CHUNK) * this.width + j] as number;
  }
}
