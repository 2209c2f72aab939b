/**
 * `tunicoin report bot NAME`: the bot's fills on the candles of its timeframe, the equity and
 * drawdown of its account (balance from the ledger plus the open PnL on the bot's instrument,
 * see report-replay.ts), and its decision log as a filterable table.
 */
import { dollars } from '../core/number-text.ts';
import { moneyToFloat, qtyToFloat, priceToFloat } from '../core/money.ts';
import { TIMEFRAME_MS, isTimeframe, toIso, type Timeframe } from '../core/time.ts';
import { findBot } from '../store/bots.ts';
import { readClock } from '../store/clock.ts';
import type { Params } from '../core/strategy/types.ts';
import type { Store } from '../store/db.ts';
import { instrumentById, type Instrument } from '../store/instruments.ts';
import { accountFills, accountView, botDecisionRows, botFills, firstDecisionTime, ledgerHistory } from '../store/reports.ts';
import type { Banner, Cell, Marker, ReportModel, Section } from '../report/model.ts';
import { priceSection } from './report-backtest.ts';
import { priceData } from './report-common.ts';
import { replayAccount } from './report-replay.ts';

/** Decisions shown at most (the latest); the rest are counted. */
export const MAX_DECISIONS = 5000;
/** Bars of history shown before the bot's first decision, and when it has none. */
const CONTEXT_BARS = 100;

const parseJson = (s: string | null): Record<string, unknown> | null => {
  try {
    return s ? (JSON.parse(s) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};
const fmtNum = (v: unknown): string => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(2) : v.toPrecision(5)) : String(v));

export function botReport(store: Store, botId: string, generatedAt: string): ReportModel {
  const bot = findBot(store, botId);
  const inst = instrumentById(store, bot.instrument_id) as Instrument;
  const tf: Timeframe = isTimeframe(bot.timeframe) ? bot.timeframe : '1h';
  const barMs = TIMEFRAME_MS[tf];
  const clock = readClock(store);
  const fills = botFills(store, bot.id);
  const { rows: decisions, total } = botDecisionRows(store, bot.id, MAX_DECISIONS);
  const banners: Banner[] = [];
  if (bot.status === 'error') banners.push({ level: 'error', text: `The bot stopped on an error: ${bot.last_error ?? 'unknown'}` });
  if (bot.is_circuit_broken) banners.push({ level: 'warning', text: `Circuit breaker tripped: ${bot.circuit_breaker_reason ?? ''}` });
  if (total === 0)
    banners.push({
      level: 'info',
      text: `The bot has made no decision yet (status ${bot.status}): start it and advance the clock (tunicoin bot run ${bot.name} --for 7d).`,
    });
  else if (fills.length === 0) banners.push({ level: 'info', text: 'The bot has not traded yet: no fill to show.' });

  const first = Math.min(
    ...[firstDecisionTime(store, bot.id), fills[0]?.filled_at].filter((x): x is string => Boolean(x)).map((s) => Date.parse(s)),
    clock,
  );
  const from = Math.floor(first / barMs) * barMs - CONTEXT_BARS * barMs;
  const price = priceData(store, inst, tf, from, clock);
  const sections: Section[] = [];
  if (!price) banners.push({ level: 'warning', text: `No ${inst.symbol} candles are stored up to the clock: no price chart.` });
  else {
    const markers: Marker[] = fills.map((f) => ({
      time: Date.parse(f.filled_at),
      kind: 'fill',
      side: f.side,
      price: priceToFloat(f.fill_price),
      size: qtyToFloat(f.filled_size),
      reason: f.reason ?? f.source,
      label: `${f.side} ${qtyToFloat(f.filled_size)}`,
    }));
    const curves = replayAccount(
      price.candles.time,
      TIMEFRAME_MS[price.timeframe],
      ledgerHistory(store, bot.account_id),
      accountFills(store, bot.account_id).filter((f) => f.instrument_id === inst.id),
      new Map([[inst.id, inst]]),
      () => price.candles.close,
    );
    sections.push(
      priceSection(
        inst,
        price,
        {
          markers,
          equity: {
            series: [
              { name: 'equity', values: curves.equity },
              { name: 'balance', values: curves.balance },
            ],
            drawdown: true,
          },
        },
        `Price, fills, account equity (balance + open PnL on ${inst.symbol}) and drawdown`,
      ),
    );
  }
  sections.push({
    kind: 'table',
    id: 'decisions',
    title: `Decisions (${total})`,
    sortable: true,
    filter: { column: 'decision' },
    note: total > decisions.length ? `The latest ${decisions.length} of ${total} decisions.` : undefined,
    empty: 'No decisions yet.',
    columns: [
      { key: 'time', label: 'candle', type: 'time' },
      { key: 'decision', label: 'decision', type: 'text' },
      { key: 'reason', label: 'reason', type: 'text' },
      { key: 'indicators', label: 'indicators', type: 'text' },
      { key: 'risk', label: 'risk adjustment', type: 'text' },
      { key: 'result', label: 'result', type: 'text' },
    ],
    rows: decisions.map((d): Cell[] => {
      const ind = parseJson(d.indicators) ?? {};
      const result = parseJson(d.execution_result);
      return [
        Date.parse(d.candle_timestamp),
        d.decision,
        d.reason,
        Object.entries(ind)
          .map(([k, v]) => `${k}=${fmtNum(v)}`)
          .join(' '),
        d.risk_adjusted ? (d.risk_adjustment_reason ?? 'adjusted') : '',
        result
          ? [result.status, result.reason ?? (result.fill_price !== undefined ? `@ ${fmtNum(result.fill_price)}` : '')]
              .filter(Boolean)
              .join(' ')
          : d.order_id
            ? 'pending'
            : '',
      ];
    }),
  });
  const acct = accountView(store, bot.account_id);
  let params = bot.params;
  try {
    params = Object.entries(JSON.parse(bot.params) as Params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  } catch {
    /* shown as stored */
  }
  return {
    kind: 'bot',
    title: `Bot ${bot.name}: ${bot.strategy_id} on ${inst.symbol} ${tf}`,
    subtitle: `${bot.status} · ${bot.total_trades} trades (${bot.winning_trades} won, ${bot.losing_trades} lost) · PnL ${dollars(moneyToFloat(bot.total_pnl))}`,
    generatedAt,
    banners,
    facts: [
      { label: 'strategy', value: bot.strategy_id },
      { label: 'parameters', value: params || '(none)' },
      { label: 'symbol', value: inst.symbol },
      { label: 'timeframe', value: tf },
      { label: 'account', value: acct.name },
      { label: 'size / leverage', value: `${bot.size_spec} / ${bot.leverage}x` },
      {
        label: 'limits',
        value:
          [
            bot.max_position_size !== null ? `max position ${qtyToFloat(bot.max_position_size)}` : '',
            bot.max_daily_loss !== null ? `max daily loss ${dollars(moneyToFloat(bot.max_daily_loss))}` : '',
            bot.max_drawdown !== null ? `max drawdown ${bot.max_drawdown}%` : '',
          ]
            .filter(Boolean)
            .join(', ') || 'none',
      },
      { label: 'status', value: bot.status },
      { label: 'clock', value: toIso(clock) },
    ],
    sections,
  };
}
