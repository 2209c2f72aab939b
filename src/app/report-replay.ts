/**
 * Balance, equity and margin of an account over time, rebuilt for a report from what is
 * stored: the ledger gives the balance after every posting; the filled orders, netted with the
 * same position rules as the engine (core/position.ts), give the open positions, marked at the
 * close of each bar. Charts only: the account's own numbers stay the ledger's.
 */
import { applyFill, unrealized, type PositionState } from '../core/position.ts';
import { moneyToFloat, priceFromFloat, type Price, type Qty } from '../core/money.ts';
import type { Instrument } from '../store/instruments.ts';
import type { FillRow, LedgerPoint } from '../store/reports.ts';

export interface AccountCurves {
  readonly balance: Float64Array;
  readonly equity: Float64Array;
  readonly margin: Float64Array;
}

/**
 * At the close of each bar `grid[i]` (bars of `barMs`): the balance after the postings before
 * it, plus the unrealised PnL of the positions the fills before it leave open, marked at
 * `marks(instrumentId)[i]` (NaN: not marked, counted at zero).
 */
export function replayAccount(
  grid: ArrayLike<number>,
  barMs: number,
  ledger: readonly LedgerPoint[],
  fills: readonly FillRow[],
  instruments: ReadonlyMap<string, Instrument>,
  marks: (instrumentId: string) => ArrayLike<number>,
): AccountCurves {
  const n = grid.length;
  const out = { balance: new Float64Array(n), equity: new Float64Array(n), margin: new Float64Array(n) };
  const ledgerTimes = ledger.map((e) => Date.parse(e.created_at));
  const fillTimes = fills.map((f) => Date.parse(f.filled_at));
  const positions = new Map<string, PositionState>();
  const markCols = new Map<string, ArrayLike<number>>();
  let li = 0;
  let fi = 0;
  let balance = 0;
  for (let i = 0; i < n; i++) {
    const end = (grid[i] as number) + barMs;
    while (li < ledger.length && (ledgerTimes[li] as number) < end) balance = (ledger[li++] as LedgerPoint).balance_after;
    while (fi < fills.length && (fillTimes[fi] as number) < end) {
      const f = fills[fi++] as FillRow;
      const inst = instruments.get(f.instrument_id);
      if (!inst) continue;
      const signed = (f.side === 'buy' ? f.filled_size : -f.filled_size) as Qty;
      const r = applyFill(positions.get(f.instrument_id) ?? null, signed, f.fill_price as Price, inst.contractSize, f.leverage);
      if (r.after.size === 0) positions.delete(f.instrument_id);
      else positions.set(f.instrument_id, r.after);
    }
    let open = 0;
    let margin = 0;
    for (const [id, pos] of positions) {
      const inst = instruments.get(id) as Instrument;
      let col = markCols.get(id);
      if (!col) {
        col = marks(id);
        markCols.set(id, col);
      }
      const mark = col[i] as number;
      if (Number.isFinite(mark)) open += unrealized(pos, priceFromFloat(mark), inst.contractSize);
      margin += pos.marginUsed;
    }
    // before the account's first posting there is no account to chart
    out.balance[i] = li === 0 ? NaN : moneyToFloat(balance);
    out.equity[i] = li === 0 ? NaN : moneyToFloat(balance + open);
    out.margin[i] = moneyToFloat(margin);
  }
  return out;
}
