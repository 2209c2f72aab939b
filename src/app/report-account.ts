/**
 * `tunicoin report account [NAME]`: equity, balance and margin over time (from the ledger and
 * the filled orders, see report-replay.ts), the open positions and the recent orders.
 */
import { dollars } from '../core/number-text.ts';
import { formatQty, moneyToFloat, priceToFloat, qtyToFloat } from '../core/money.ts';
import { TIMEFRAME_MS, toIso } from '../core/time.ts';
import { aggregate } from '../core/candles.ts';
import { baseTimeframe, loadCandles } from '../store/candles.ts';
import { readClock } from '../store/clock.ts';
import type { Store } from '../store/db.ts';
import { instrumentById, type Instrument } from '../store/instruments.ts';
import { listOrders } from '../store/orders.ts';
import { accountFills, accountView, ledgerHistory, openPositions } from '../store/reports.ts';
import type { Banner, ReportModel } from '../report/model.ts';
import { stepAtCandles, timeframeFor } from './report-common.ts';
import { replayAccount } from './report-replay.ts';

const RECENT_ORDERS = 50;
const MAX_POINTS = 2000;
const money = (m: number): string => dollars(moneyToFloat(m));

export function accountReport(store: Store, accountId: string, generatedAt: string): ReportModel {
  const acct = accountView(store, accountId);
  const clock = readClock(store);
  const ledger = ledgerHistory(store, accountId);
  const fills = accountFills(store, accountId);
  const banners: Banner[] = [];
  if (ledger.length === 0) banners.push({ level: 'info', text: 'This account has no ledger entry yet: nothing to chart.' });
  else if (fills.length === 0) banners.push({ level: 'info', text: 'This account has not traded yet: its equity is its balance.' });

  const instruments = new Map<string, Instrument>();
  for (const f of fills)
    if (!instruments.has(f.instrument_id)) instruments.set(f.instrument_id, instrumentById(store, f.instrument_id) as Instrument);
  const start = ledger.length ? Date.parse((ledger[0] as { created_at: string }).created_at) : clock;
  const tf = timeframeFor(start, clock, MAX_POINTS);
  const barMs = TIMEFRAME_MS[tf];
  const grid: number[] = [];
  for (let t = Math.floor(start / barMs) * barMs; t <= clock; t += barMs) grid.push(t);
  const marks = (id: string): Float64Array => {
    const base = baseTimeframe(store, id);
    if (!base) return new Float64Array(grid.length).fill(NaN);
    const c = aggregate(
      loadCandles(store, id, { from: grid[0] ?? start, to: clock }, base),
      TIMEFRAME_MS[tf] >= TIMEFRAME_MS[base] ? tf : base,
    );
    return stepAtCandles(grid, barMs, c.time, c.close);
  };
  const curves = ledger.length ? replayAccount(grid, barMs, ledger, fills, instruments, marks) : null;
  const positions = openPositions(store, accountId);
  const orders = listOrders(store, accountId, 'all', RECENT_ORDERS);
  return {
    kind: 'account',
    title: `Account ${acct.name}`,
    subtitle: `equity ${money(acct.equity)} · balance ${money(acct.balance)} · margin used ${money(acct.margin_used)} · at ${toIso(clock)}`,
    generatedAt,
    banners,
    facts: [
      { label: 'account', value: `${acct.name} (${acct.id.slice(0, 8)})` },
      { label: 'balance', value: money(acct.balance) },
      { label: 'equity', value: money(acct.equity) },
      { label: 'margin used / available', value: `${money(acct.margin_used)} / ${money(acct.margin_available)}` },
      { label: 'max leverage', value: `${acct.max_leverage}x` },
      { label: 'fees', value: `maker ${acct.maker_fee_ppm / 1e4}%, taker ${acct.taker_fee_ppm / 1e4}%` },
      { label: 'clock', value: toIso(clock) },
    ],
    sections: [
      {
        kind: 'lines',
        id: 'equity',
        title: `Equity, balance and margin (${tf} points)`,
        unit: '$',
        empty: 'No ledger entry yet.',
        series: curves
          ? [
              { name: 'equity', times: grid, values: curves.equity },
              { name: 'balance', times: grid, values: curves.balance },
              { name: 'margin used', times: grid, values: curves.margin },
            ]
          : [],
      },
      {
        kind: 'table',
        id: 'positions',
        title: `Open positions (${positions.length})`,
        sortable: true,
        empty: 'No open position.',
        columns: [
          { key: 'symbol', label: 'symbol', type: 'text' },
          { key: 'side', label: 'side', type: 'text' },
          { key: 'size', label: 'size', type: 'number' },
          { key: 'entry', label: 'entry', type: 'number' },
          { key: 'mark', label: 'mark', type: 'number' },
          { key: 'upnl', label: 'unrealised $', type: 'number', pnl: true, decimals: 2 },
          { key: 'lev', label: 'leverage', type: 'number' },
          { key: 'margin', label: 'margin $', type: 'number', decimals: 2 },
          { key: 'opened', label: 'opened', type: 'time' },
        ],
        rows: positions.map((p) => [
          p.symbol,
          p.side,
          qtyToFloat(p.size),
          priceToFloat(p.entry_price),
          priceToFloat(p.current_price),
          moneyToFloat(p.unrealized_pnl),
          p.leverage,
          moneyToFloat(p.margin_used),
          Date.parse(p.opened_at),
        ]),
      },
      {
        kind: 'table',
        id: 'orders',
        title: `Recent orders (latest ${RECENT_ORDERS})`,
        sortable: true,
        filter: { column: 'status' },
        empty: 'No order yet.',
        columns: [
          { key: 'created', label: 'created', type: 'time' },
          { key: 'symbol', label: 'symbol', type: 'text' },
          { key: 'side', label: 'side', type: 'text' },
          { key: 'type', label: 'type', type: 'text' },
          { key: 'size', label: 'size', type: 'text' },
          { key: 'status', label: 'status', type: 'text' },
          { key: 'fill', label: 'fill price', type: 'number' },
          { key: 'fee', label: 'fee $', type: 'number', decimals: 2 },
          { key: 'source', label: 'source', type: 'text' },
          { key: 'reason', label: 'reason', type: 'text' },
        ],
        rows: orders.map((o) => [
          Date.parse(o.created_at),
          o.symbol,
          o.side,
          o.order_type,
          formatQty(o.size),
          o.status,
          o.fill_price === null ? null : priceToFloat(o.fill_price),
          moneyToFloat(o.commission),
          o.source,
          o.reject_reason,
        ]),
      },
    ],
  };
}
