/**
 * From data to what is shown: every panel's lines, laid out by view-layout.ts. Pure
 * (snapshot + screen state + size in, ScreenView out), so frames can be tested without a
 * terminal. Money, prices and sizes are formatted by the same helpers as `account` and `orders`.
 */
import { formatQty, priceFromFloat } from '../../core/money.ts';
import { formatDuration, toIso, type Timeframe } from '../../core/time.ts';
import type { WatchSnapshot } from '../../app/watch.ts';
import { cash, priceTight as priceText } from '../render/trading.ts';
import { uniquePrefixes } from '../../core/ids.ts';
import { candleChart, sparkline } from './chart.ts';
import type { UiState } from './state.ts';
import { fitLine, layout, MIN_COLS, MIN_ROWS, panel, plain, table, wrap } from './view-layout.ts';
import { formLines, HELP } from './view-overlay.ts';
import type { Line, ScreenView, SegColor } from './view-types.ts';

export interface ViewMeta {
  readonly accountName: string;
  readonly timeframe: Timeframe;
  readonly color: boolean;
}

const signedColor = (v: number, color: boolean): SegColor | undefined => (!color || v === 0 ? undefined : v > 0 ? 'green' : 'red');
const signedCash = (v: number): string => cash(v, undefined, true);
const pct = (r: number | null): string => (r === null ? 'n/a' : `${r >= 0 ? '+' : ''}${(r * 100).toFixed(2)}%`);

export function speedText(speed: number): string {
  if (speed === 0) return 'paused (n steps)';
  return `${speed}x (${speed < 60 ? `${speed}s` : formatDuration(speed * 1000)}/s)`;
}

export function buildView(snap: WatchSnapshot, ui: UiState, meta: ViewMeta, cols: number, rows: number): ScreenView {
  const L = layout(Math.max(cols, MIN_COLS), Math.max(rows, MIN_ROWS));
  const tooSmall =
    cols < MIN_COLS || rows < MIN_ROWS
      ? `terminal too small: ${cols}x${rows}, tunicoin watch needs at least ${MIN_COLS}x${MIN_ROWS}`
      : null;
  const color = meta.color;
  const quote = snap.quotes[ui.focus] ?? snap.quotes[0];
  const focused = quote?.instrument;
  const tick = focused?.tickSize ?? 1;

  const state = ui.stopped
    ? `stopped: ${ui.stopped}`
    : ui.speed === 0
      ? speedText(0)
      : ui.paused
        ? `paused · ${speedText(ui.speed)}`
        : `running ${speedText(ui.speed)}`;
  const header: Line = fitLine(
    [
      { text: L.cols >= 100 ? 'tunicoin watch' : 'tunicoin', bold: true },
      { text: ` │ ${toIso(snap.clock).slice(0, 16).replace('T', ' ')} UTC │ ` },
      {
        text: state,
        ...(color ? { color: ui.stopped ? ('red' as const) : ui.paused ? ('yellow' as const) : ('green' as const) } : {}),
        bold: true,
      },
      { text: ` │ ${meta.timeframe} │ ${L.cols >= 100 ? 'account ' : ''}${meta.accountName}` },
    ],
    L.cols,
  );

  const a = snap.account;
  const account: Line[] = [
    [
      { text: 'equity ', dim: true },
      { text: cash(a.equity), bold: true },
      { text: '   balance ', dim: true },
      { text: cash(a.balance) },
      { text: '   unrealised ', dim: true },
      { text: signedCash(a.unrealized), color: signedColor(a.unrealized, color) },
    ],
    [
      { text: 'margin used ', dim: true },
      { text: cash(a.marginUsed) },
      { text: '   available ', dim: true },
      { text: cash(a.available) },
      { text: '   today ', dim: true },
      { text: signedCash(a.todayPnl), color: signedColor(a.todayPnl, color) },
      { text: a.maxDailyLoss === null ? ' (no max daily loss)' : ` of max loss ${cash(a.maxDailyLoss)}`, dim: true },
    ],
  ].map((l) => fitLine(l, L.cols));

  // chart (or the order form / the help in its place)
  const chartInner = { width: L.chart.width - 2, height: L.chart.height - 2 };
  const topRect = { width: L.cols, height: L.chart.height };
  const overlay =
    ui.form && focused
      ? panel(`${ui.form.side === 'buy' ? 'Buy' : 'Sell'} ${focused.symbol}`, topRect, formLines(ui.form, tick, color, topRect.width - 2))
      : ui.help
        ? panel(
            'keys (any key closes this)',
            topRect,
            HELP.map(([k, t]) => [{ text: k.padEnd(8), bold: true }, { text: t }]),
          )
        : null;
  const last = quote?.last ?? null;
  const chartLines: Line[] = [
    [
      { text: 'last ', dim: true },
      { text: last === null ? 'n/a' : priceText(priceFromFloat(last), tick), bold: true },
      { text: '  24h ', dim: true },
      { text: pct(quote?.change24h ?? null), color: signedColor(quote?.change24h ?? 0, color) },
      { text: `  ${snap.candles.time.length} × ${meta.timeframe}${color ? '' : '  ░ up █ down'}`, dim: true },
    ],
    ...candleChart(snap.candles, {
      width: chartInner.width,
      height: chartInner.height - 1,
      color,
      label: (p) => priceText(priceFromFloat(p), tick),
    }),
  ];

  // quotes
  const qW = L.quotes.width - 2;
  const priceCells = (get: (q: (typeof snap.quotes)[number]) => number | null) =>
    snap.quotes.map((q) => ({ text: priceText(get(q), q.instrument.tickSize) || 'n/a' }));
  const fixedW =
    2 +
    Math.max(3, ...snap.quotes.map((q) => q.instrument.symbol.length)) +
    1 +
    2 * (1 + Math.max(3, ...priceCells((q) => q.bid).map((c) => c.text.length))) +
    8;
  const sparkW = Math.max(0, qW - fixedW - 1);
  const quoteLines = table(
    [
      { header: ' ', cells: snap.quotes.map((_, i) => ({ text: i === ui.focus ? '>' : ' ', bold: true })), align: 'left', priority: 0 },
      {
        header: 'symbol',
        cells: snap.quotes.map((q, i) => ({ text: q.instrument.symbol, bold: i === ui.focus })),
        align: 'left',
        priority: 0,
      },
      { header: 'bid', cells: priceCells((q) => q.bid), align: 'right', priority: 1 },
      { header: 'ask', cells: priceCells((q) => q.ask), align: 'right', priority: 1 },
      {
        header: '24h',
        cells: snap.quotes.map((q) => ({ text: pct(q.change24h), color: signedColor(q.change24h ?? 0, color) })),
        align: 'right',
        priority: 1,
      },
      {
        header: 'trend',
        cells: snap.quotes.map((q) => ({ text: sparkline(q.spark, sparkW).padEnd(sparkW), ...(color ? { color: 'cyan' as const } : {}) })),
        align: 'left',
        priority: 2,
      },
    ],
    qW,
  );

  // positions
  const ps = snap.positions;
  const posLines =
    ps.length === 0
      ? [plain('no open positions')]
      : table(
          [
            {
              header: 'symbol',
              cells: ps.map((p) => ({ text: p.symbol, bold: p.instrumentId === focused?.id })),
              align: 'left',
              priority: 0,
            },
            { header: 'side', cells: ps.map((p) => ({ text: p.size > 0 ? 'long' : 'short' })), align: 'left', priority: 0 },
            { header: 'size', cells: ps.map((p) => ({ text: formatQty(Math.abs(p.size)) })), align: 'right', priority: 0 },
            { header: 'entry', cells: ps.map((p) => ({ text: priceText(p.entryPrice, p.tick) })), align: 'right', priority: 1 },
            { header: 'mark', cells: ps.map((p) => ({ text: priceText(p.markPrice, p.tick) })), align: 'right', priority: 3 },
            {
              header: 'unrealised',
              cells: ps.map((p) => ({ text: signedCash(p.unrealized), color: signedColor(p.unrealized, color) })),
              align: 'right',
              priority: 0,
            },
            { header: 'SL', cells: ps.map((p) => ({ text: priceText(p.stopLoss, p.tick) || '-' })), align: 'right', priority: 2 },
            { header: 'TP', cells: ps.map((p) => ({ text: priceText(p.takeProfit, p.tick) || '-' })), align: 'right', priority: 2 },
            { header: 'lev', cells: ps.map((p) => ({ text: `${p.leverage}x` })), align: 'right', priority: 4 },
            { header: 'margin', cells: ps.map((p) => ({ text: cash(p.marginUsed) })), align: 'right', priority: 5 },
          ],
          L.positions.width - 2,
        );

  // working orders, the selected one highlighted (x cancels it)
  const os = snap.orders;
  const sel = Math.min(ui.selected, os.length - 1);
  const shortIds = uniquePrefixes(os.map((o) => o.id));
  const ordLines =
    os.length === 0
      ? [plain('no working orders')]
      : table(
          [
            // the marker keeps the selection visible without colour or reverse video (NO_COLOR)
            { header: ' ', cells: os.map((_, i) => ({ text: i === sel ? '>' : ' ', bold: true })), align: 'left', priority: 0 },
            { header: 'id', cells: os.map((o) => ({ text: shortIds.get(o.id) ?? o.id })), align: 'left', priority: 0 },
            { header: 'symbol', cells: os.map((o) => ({ text: o.symbol })), align: 'left', priority: 0 },
            { header: 'side', cells: os.map((o) => ({ text: o.side })), align: 'left', priority: 0 },
            { header: 'type', cells: os.map((o) => ({ text: o.order_type.replace('_', '-') })), align: 'left', priority: 1 },
            { header: 'size', cells: os.map((o) => ({ text: formatQty(o.size) })), align: 'right', priority: 0 },
            {
              header: 'price',
              cells: os.map((o) => ({ text: priceText(o.price, tickOf(snap, o.instrument_id)) || '-' })),
              align: 'right',
              priority: 0,
            },
            {
              header: 'stop',
              cells: os.map((o) => ({ text: priceText(o.stop_price, tickOf(snap, o.instrument_id)) || '-' })),
              align: 'right',
              priority: 1,
            },
          ],
          L.orders.width - 2,
          sel,
        );
  // keep the selected order in view
  const ordRows = L.orders.height - 3;
  const ordShown = sel >= ordRows && ordRows > 0 ? [ordLines[0] as Line, ...ordLines.slice(sel - ordRows + 2, sel + 2)] : ordLines;

  // the log, newest last
  // the log, newest last; long entries wrap under their text
  const logInnerH = L.log.height - 2;
  const textW = Math.max(10, L.log.width - 2 - 6);
  const logLines = ui.log
    .slice(-logInnerH)
    .flatMap((e): Line[] => {
      const style = {
        ...(color && LOG_COLOR[e.kind] ? { color: LOG_COLOR[e.kind] as SegColor } : {}),
        ...(e.kind === 'error' || e.kind === 'liquidation' ? { bold: true } : {}),
      };
      return wrap(e.text, textW).map((part, k) => [
        { text: k ? '      ' : `${toIso(e.time).slice(11, 16)} `, dim: true },
        { text: part, ...style },
      ]);
    })
    .slice(-logInnerH);

  const footer = fitLine(
    ui.form
      ? [{ text: 'tab/↑↓ field  ←→ change  digits edit  enter place  esc cancel', dim: true }]
      : KEYS.flatMap(([k, what, short]) => [{ text: k, bold: true }, { text: L.cols >= 100 ? ` ${what}  ` : ` ${short} ` }]),
    L.cols,
  );

  return {
    cols: L.cols,
    rows: L.rows,
    tooSmall,
    header,
    account,
    overlay,
    chart: panel(focused ? `${focused.symbol} ${meta.timeframe}` : 'chart', L.chart, chartLines),
    quotes: panel('quotes', L.quotes, quoteLines),
    positions: panel(`positions (${ps.length})`, L.positions, posLines),
    orders: panel(`working orders (${os.length})${os.length ? ' ↑↓ select, x cancel' : ''}`, L.orders, ordShown),
    log: panel(
      'log',
      L.log,
      logLines.length ? logLines : [[{ text: 'fills, funding, liquidations and bot decisions appear here', dim: true }]],
    ),
    footer,
  };
}

const tickOf = (snap: WatchSnapshot, instrumentId: string): number =>
  snap.quotes.find((q) => q.instrument.id === instrumentId)?.instrument.tickSize ?? 1;

const LOG_COLOR: Partial<Record<UiState['log'][number]['kind'], SegColor>> = {
  fill: 'cyan',
  liquidation: 'red',
  error: 'red',
  funding: 'yellow',
  bot: 'green',
};

/** The footer: key, what it does, and the word for narrow terminals. */
const KEYS: ReadonlyArray<readonly [string, string, string]> = [
  ['b/s', 'buy/sell', 'order'],
  ['c', 'close', 'close'],
  ['x', 'cancel', 'cancel'],
  ['tab', 'symbol', 'sym'],
  ['space', 'pause', 'pause'],
  ['+/-', 'speed', 'speed'],
  ['n', 'step', 'step'],
  ['?', 'keys', 'help'],
  ['q', 'quit', 'quit'],
];
