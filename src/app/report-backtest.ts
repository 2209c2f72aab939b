/**
 * `tunicoin report backtest ID`: the picture of one backtest.
 *
 * Where the data comes from: the `backtests` row gives the run's settings, status and the
 * metrics exactly as `backtest --json` printed them; the stored candles give the price; and
 * the deterministic backtest is run again over the same candles to get what is not stored
 * (the equity curve, every trade with its reasons, the indicator series). The re-run goes
 * through the same outward pieces as `backtest` (the engine's run, tradeRows, metricsOf) and
 * must reproduce the stored metrics; when it does not (the candles changed since, or the
 * strategy file did), the report says so and still shows the stored metrics.
 * A failed, canceled or unfinished run is not re-run: its report shows the status, the error
 * and the candles of its period.
 */
import { dollars } from '../core/number-text.ts';
import type { BacktestMetrics } from '../core/metrics.ts';
import { formatPercent, formatRatePercent, moneyToFloat, ppmFromRate, type Money, type Ppm } from '../core/money.ts';
import type { Params, Strategy } from '../core/strategy/types.ts';
import { isTimeframe, type Timeframe } from '../core/time.ts';
import { runBacktest, type BacktestOutcome } from '../engine/backtest.ts';
import { metricsOf } from '../engine/backtest-metrics.ts';
import { parseSizeSpec, type SizeSpec } from '../core/size-spec.ts';
import type { Store } from '../store/db.ts';
import { instrumentById, type Instrument } from '../store/instruments.ts';
import { findBacktest, type BacktestRowView } from '../store/reports.ts';
import type { Banner, Fact, Marker, PriceSection, ReportModel, Section, TableSection } from '../report/model.ts';
import { metricRows } from '../report/metrics.ts';
import { tradeRows } from './backtest.ts';
import { classifyIndicators, IndicatorRecorder } from './report-indicators.ts';
import { alignToCandles, priceData, priceDecimalsOf, tickOf, type PriceData } from './report-common.ts';
import { loadStrategy } from './strategy-loader.ts';

/** What a backtest ran with, read back from its row. */
export interface RunSpec {
  readonly strategyRef: string;
  readonly params: Params;
  readonly timeframe: Timeframe;
  readonly capital: Money;
  readonly leverage: number;
  readonly sizing: SizeSpec;
  readonly sizeText: string;
  readonly makerFee: Ppm;
  readonly takerFee: Ppm;
}

export function runSpecOf(row: BacktestRowView): RunSpec {
  const all = JSON.parse(row.params) as Record<string, unknown>;
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(all)) if (!k.startsWith('_') && (typeof v === 'number' || typeof v === 'string')) params[k] = v;
  const sizeText = typeof all._size === 'string' ? all._size : 'all';
  const rate = (v: unknown, def: number): Ppm => ppmFromRate(typeof v === 'number' ? v : def);
  return {
    strategyRef: typeof all._strategy === 'string' ? all._strategy : row.strategy_id,
    params,
    timeframe: isTimeframe(row.timeframe) ? row.timeframe : '1h',
    capital: row.initial_capital as Money,
    leverage: typeof all._leverage === 'number' ? all._leverage : 1,
    sizing: parseSizeSpec(sizeText),
    sizeText,
    makerFee: rate(all._feeMaker, 0.0002),
    takerFee: rate(all._feeTaker, 0.0005),
  };
}

export interface Rerun {
  readonly outcome: BacktestOutcome;
  readonly metrics: BacktestMetrics;
  /** Equity and buy & hold at each candle of the price data. */
  readonly equity: Float64Array;
  readonly hold: Float64Array;
  /** hold = close x holdFactor. */
  readonly holdFactor: number;
  readonly indicators: ReturnType<typeof classifyIndicators>;
}

/** Run the backtest again over `raw` (the stored candles of its period), recording indicators. */
export function rerunBacktest(strategy: Strategy, spec: RunSpec, inst: Instrument, price: Pick<PriceData, 'raw' | 'candles'>): Rerun {
  const recorder = new IndicatorRecorder(price.candles.time);
  const outcome = runBacktest({
    candles: price.raw,
    instrumentId: inst.id,
    spec: inst,
    timeframe: spec.timeframe,
    strategy: recorder.wrap(strategy.create(spec.params)),
    capital: spec.capital,
    leverage: spec.leverage,
    maxLeverage: Math.max(spec.leverage, 1),
    makerFee: spec.makerFee,
    takerFee: spec.takerFee,
    sizing: spec.sizing,
  });
  const metrics = metricsOf(outcome, spec.capital, spec.timeframe);
  const { time, close } = price.candles;
  const equity = alignToCandles(time, outcome.times, outcome.equity);
  for (let i = 1; i < equity.length; i++) if (Number.isNaN(equity[i])) equity[i] = equity[i - 1] as number;
  const capital = moneyToFloat(spec.capital);
  const firstOpen = price.raw.open[0] as number;
  const hold = Float64Array.from(close, (c) => (capital * c) / firstOpen); // the same capital bought at the first open
  return { outcome, metrics, equity, hold, holdFactor: capital / firstOpen, indicators: classifyIndicators(recorder.columns, close) };
}

export function tradeMarkers(rows: ReturnType<typeof tradeRows>): Marker[] {
  const out: Marker[] = [];
  for (const r of rows) {
    const long = r.side === 'long';
    out.push({
      time: Date.parse(String(r.entry_time)),
      kind: 'entry',
      side: long ? 'buy' : 'sell',
      price: Number(r.entry_price),
      size: Number(r.size),
      reason: String(r.entry_reason),
      label: `#${r.n} ${r.side}`,
    });
    out.push({
      time: Date.parse(String(r.exit_time)),
      kind: 'exit',
      side: long ? 'sell' : 'buy',
      price: Number(r.exit_price),
      size: Number(r.size),
      reason: String(r.exit_reason),
      label: `#${r.n} exit`,
    });
  }
  return out;
}

export function tradesTable(rows: ReturnType<typeof tradeRows>, empty: string): TableSection {
  return {
    kind: 'table',
    id: 'trades',
    title: `Trades (${rows.length})`,
    sortable: true,
    filter: { column: 'side' },
    empty,
    columns: [
      { key: 'n', label: '#', type: 'number' },
      { key: 'side', label: 'side', type: 'text' },
      { key: 'entry_time', label: 'entry', type: 'time' },
      { key: 'entry_price', label: 'entry price', type: 'number' },
      { key: 'exit_time', label: 'exit', type: 'time' },
      { key: 'exit_price', label: 'exit price', type: 'number' },
      { key: 'size', label: 'size', type: 'number' },
      { key: 'pnl', label: 'PnL $', type: 'number', pnl: true, decimals: 2 },
      { key: 'return_pct', label: 'return %', type: 'number', pnl: true, decimals: 2 },
      { key: 'fees', label: 'fees $', type: 'number', decimals: 2 },
      { key: 'funding', label: 'funding $', type: 'number', decimals: 2 },
      { key: 'entry_reason', label: 'entry reason', type: 'text' },
      { key: 'exit_reason', label: 'exit reason', type: 'text' },
    ],
    rows: rows.map((r) =>
      [
        r.n,
        r.side,
        Date.parse(String(r.entry_time)),
        r.entry_price,
        Date.parse(String(r.exit_time)),
        r.exit_price,
        r.size,
        r.pnl,
        r.return_pct,
        r.fees,
        r.funding,
        r.entry_reason,
        r.exit_reason,
      ].map((v) => (typeof v === 'number' || typeof v === 'string' ? v : null)),
    ),
  };
}

const fmtParams = (p: Params): string =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || '(none)';
const pctRate = formatPercent;

export function runFacts(row: BacktestRowView, spec: RunSpec, inst: Instrument): Fact[] {
  return [
    { label: 'strategy', value: spec.strategyRef },
    { label: 'parameters', value: fmtParams(spec.params) },
    { label: 'symbol', value: `${inst.symbol} (${inst.name})` },
    { label: 'timeframe', value: spec.timeframe },
    {
      label: 'period',
      value: `${(row.start_date ?? '?').slice(0, 16).replace('T', ' ')} .. ${(row.end_date ?? '?').slice(0, 16).replace('T', ' ')} UTC`,
    },
    { label: 'capital', value: dollars(moneyToFloat(spec.capital)) },
    {
      label: 'costs',
      value: `taker ${pctRate(spec.takerFee)}, maker ${pctRate(spec.makerFee)}, spread ${formatRatePercent(inst.baseSpread)}, slippage factor ${inst.slippageFactor}`,
    },
    { label: 'size / leverage', value: `${spec.sizeText} / ${spec.leverage}x` },
    { label: 'status', value: row.status },
    { label: 'backtest', value: row.id },
  ];
}

export function priceSection(
  inst: Instrument,
  price: PriceData,
  extra: Partial<Pick<PriceSection, 'overlays' | 'panes' | 'equity' | 'markers'>>,
  title = 'Price',
): PriceSection {
  return {
    kind: 'price',
    id: 'price',
    title,
    symbol: inst.symbol,
    timeframe: price.timeframe,
    priceDecimals: priceDecimalsOf(inst),
    tick: tickOf(inst),
    candles: price.candles,
    overlays: extra.overlays ?? [],
    panes: extra.panes ?? [],
    equity: extra.equity,
    markers: extra.markers ?? [],
  };
}

export async function backtestReport(store: Store, idPrefix: string, generatedAt: string): Promise<ReportModel> {
  const row = findBacktest(store, idPrefix);
  const inst = instrumentById(store, row.instrument_id) as Instrument;
  const spec = runSpecOf(row);
  const banners: Banner[] = [];
  const sections: Section[] = [];
  const stored = row.metrics ? (JSON.parse(row.metrics) as Record<string, unknown>) : null;
  const from = row.start_date ? Date.parse(row.start_date) : NaN;
  const to = row.end_date ? Date.parse(row.end_date) : NaN;
  const price = Number.isFinite(from) && Number.isFinite(to) ? priceData(store, inst, spec.timeframe, from, to) : null;
  if (row.status === 'failed')
    banners.push({
      level: 'error',
      text: `This backtest failed: ${row.error_message ?? 'no reason recorded'}. Shown: its settings and the candles of its period; it has no trades or metrics.`,
    });
  else if (row.status === 'canceled')
    banners.push({
      level: 'warning',
      text: `This backtest was canceled at ${(row.progress * 100).toFixed(0)}% (${row.error_message ?? 'canceled'}). Shown: its settings and the candles of its period; it has no trades or metrics.`,
    });
  else if (row.status !== 'completed')
    banners.push({
      level: 'info',
      text: `This backtest is ${row.status} (${(row.progress * 100).toFixed(0)}% done): come back when it has completed. Shown: its settings and candles.`,
    });
  if (!price)
    banners.push({
      level: 'warning',
      text: `No ${inst.symbol} candles are stored for this run's period any more, so there is no price chart.`,
    });

  let rerun: Rerun | null = null;
  if (row.status === 'completed' && price && price.raw.time.length >= 2) {
    try {
      rerun = rerunBacktest(await loadStrategy(spec.strategyRef), spec, inst, price);
      if (row.metrics !== null && JSON.stringify(rerun.metrics) !== row.metrics) {
        banners.push({
          level: 'warning',
          text: 'Running this backtest again over the stored candles gives different metrics (the candles or the strategy changed since): the charts and trades show the re-run, the metrics table the stored result.',
        });
      }
    } catch (e) {
      banners.push({
        level: 'warning',
        text: `The backtest could not be run again to draw its trades and equity (${(e as Error).message}); the stored metrics are shown.`,
      });
    }
  }
  const trades = rerun ? tradeRows(rerun.outcome) : [];
  if (rerun && trades.length === 0)
    banners.push({ level: 'info', text: 'This run made no trades: the strategy never entered a position over the period.' });

  if (price) {
    sections.push(
      priceSection(
        inst,
        price,
        rerun
          ? {
              overlays: rerun.indicators.overlays,
              panes: rerun.indicators.panes,
              markers: tradeMarkers(trades),
              equity: {
                series: [
                  { name: 'strategy', values: rerun.equity },
                  { name: 'buy & hold', values: rerun.hold, closeTimes: rerun.holdFactor },
                ],
                drawdown: true,
              },
            }
          : {},
        rerun ? 'Price, trades, indicators, equity vs buy & hold, drawdown' : 'Price',
      ),
    );
  }
  sections.push({
    kind: 'metrics',
    id: 'metrics',
    title: 'Metrics',
    columns: ['value'],
    rows: stored ? metricRows([stored]) : [],
    empty: `No metrics: the run is ${row.status}.`,
  });
  sections.push(
    tradesTable(
      trades,
      rerun
        ? 'No trades.'
        : `No trades to show: the run is ${row.status}${row.status === 'completed' ? ' but could not be run again' : ''}.`,
    ),
  );
  const m = stored as Partial<BacktestMetrics> | null;
  return {
    kind: 'backtest',
    title: `Backtest ${row.id.slice(0, 8)}: ${spec.strategyRef} on ${inst.symbol} ${spec.timeframe}`,
    subtitle:
      m && typeof m.returnPct === 'number'
        ? `return ${m.returnPct.toFixed(2)}% vs buy & hold ${Number(m.buyAndHoldReturnPct).toFixed(2)}%, ${m.trades} trades, max drawdown ${Number(m.maxDrawdownPct).toFixed(2)}%`
        : `status: ${row.status}`,
    generatedAt,
    banners,
    facts: runFacts(row, spec, inst),
    sections,
  };
}
