/** `backtest STRATEGY` and `strategies`; the flags `backtest` shares with `optimize`. */
import { TunicoinError, UsageError } from '../../core/errors.ts';
import type { Ppm } from '../../core/money.ts';
import { parseParamPairs, resolveParams } from '../../core/strategy/params.ts';
import { toIso } from '../../core/time.ts';
import { BUILTIN_STRATEGIES } from '../../core/strategy/builtin.ts';
import { runBacktestJob } from '../../app/backtest.ts';
import { backtestPrint, tradesJsonOf, tradesOf, type BacktestPrint } from '../../app/backtest-output.ts';
import { emitJsonArray } from '../../core/json-text.ts';
import { loadStrategy } from '../../app/strategy-loader.ts';
import { parseSizeSpec } from '../../core/size-spec.ts';
import {
  parseLeverageArg,
  parseMoneyArg,
  parsePositiveInt,
  parseRateArg,
  parseStrategyTimeout,
  parseTime,
  parseTimeframe,
} from '../args.ts';
import type { Context } from '../context.ts';
import { renderEquityChart } from '../render/equity-chart.ts';
import { renderJson } from '../render/json.ts';
import { dollars } from '../../core/number-text.ts';
import { makeProgress } from '../render/progress.ts';
import { renderKeyValue, renderTable } from '../render/table.ts';
import { shortId } from '../render/trading.ts';
import type { Store } from '../../store/db.ts';
import { tradeLogDir } from '../../store/paths.ts';

export interface BacktestFlags {
  symbol?: string;
  timeframe?: string;
  from?: string;
  to?: string;
  capital?: string;
  leverage?: string;
  param?: string[];
  size?: string;
  feeTaker?: string;
  feeMaker?: string;
  trades?: string;
  report?: string;
  yes?: boolean;
  strategyTimeout?: string;
  periodsPerYear?: string;
  /** Run on a worker (PostgreSQL only; see queued.ts), and with --detach do not wait for it. */
  queue?: boolean;
  detach?: boolean;
}

function parseRate(v: string | undefined, def: number, flag: string): Ppm {
  return v === undefined ? (def as Ppm) : parseRateArg(v, flag, { max: 0.1, maxExclusive: true });
}

/** Flags shared by `backtest` and `optimize`, validated before anything runs. */
export function parseCommon(flags: BacktestFlags) {
  const timeframe = parseTimeframe(flags.timeframe ?? '1h');
  const from = flags.from === undefined ? undefined : parseTime(flags.from, '--from');
  const to = flags.to === undefined ? undefined : parseTime(flags.to, '--to');
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from (${flags.from}) is after --to (${flags.to})`);
  const capital = parseMoneyArg(flags.capital ?? '10000', '--capital');
  const leverage = parseLeverageArg(flags.leverage ?? '1', '--leverage');
  const periodsPerYear =
    flags.periodsPerYear === undefined ? undefined : parsePositiveInt(flags.periodsPerYear, '--periods-per-year', { max: 366 });
  return {
    timeframe,
    from,
    to,
    capital,
    leverage,
    sizing: parseSizeSpec(flags.size),
    makerFee: parseRate(flags.feeMaker, 200, '--fee-maker'),
    takerFee: parseRate(flags.feeTaker, 500, '--fee-taker'),
    ...(periodsPerYear !== undefined ? { periodsPerYear } : {}),
  };
}

export async function backtest(
  ctx: Context,
  strategyRef: string,
  flags: BacktestFlags,
  onInterrupt: (fn: () => void) => void,
): Promise<void> {
  if (flags.queue) (await import('../../app/queue-jobs.ts')).assertQueueDatabase(ctx.dbPath.path);
  else if (flags.detach) throw new UsageError('--detach goes with --queue');
  const timeoutMs = parseStrategyTimeout(flags.strategyTimeout);
  const common = parseCommon(flags);
  if (flags.trades !== undefined) await confirmTradesPath(ctx, flags.trades, flags.yes === true);
  const strategy = await loadStrategy(strategyRef, { timeoutMs });
  const params = resolveParams(strategy, parseParamPairs(flags.param ?? []));

  // the report's path is checked (and asked about) before the run, so a bad one costs nothing
  const reportOut =
    flags.report === undefined ? null : await (await import('./report.ts')).prepareOutput(ctx, flags.report, flags.yes === true);
  const store = await ctx.store();
  if (flags.queue) {
    const q = await import('./queued.ts');
    const { actingUserId, absoluteStrategyRef } = await import('../../app/queue-jobs.ts');
    const { id, tradesPath } = q.newJob(store, flags.trades, ctx.env);
    const data = {
      kind: 'backtest' as const,
      userId: actingUserId(store),
      strategyRef: absoluteStrategyRef(strategyRef),
      ...(flags.strategyTimeout !== undefined ? { strategyTimeoutMs: timeoutMs } : {}),
      settings: { symbol: flags.symbol ?? 'BTC-USD', ...common },
      params,
      tradesPath,
    };
    const out = await q.sendAndFollow(ctx, q.pgStore(store), id, data, flags, onInterrupt);
    if (!out?.ok || out.kind !== 'backtest') return; // detached
    (await import('../../app/backtest-output.ts')).writeTradeLogOf(out.print);
    printBacktest(ctx, store, out.print);
    if (reportOut) {
      const { emitReport } = await import('./report.ts');
      const { backtestReport } = await import('../../app/report-backtest.ts');
      await emitReport(ctx, reportOut, await backtestReport(store, out.print.id, toIso(ctx.now())), false, true);
    }
    return;
  }
  let cancel = false;
  onInterrupt(() => {
    cancel = true;
  });
  const progress = makeProgress(ctx.err, `backtest ${strategy.id}`, !ctx.json);
  const report = await runBacktestJob(
    store,
    {
      strategy,
      strategyRef,
      params,
      symbol: flags.symbol ?? 'BTC-USD',
      ...common,
      tradesPath: flags.trades,
      tradesDir: tradeLogDir(store, ctx.env),
      jsonTrades: ctx.json,
    },
    { onProgress: (f) => progress.update(f, 1), shouldCancel: () => cancel, nowIso: () => toIso(ctx.now()) },
  );
  progress.done();
  if (report.status === 'canceled')
    throw new TunicoinError(
      'interrupted',
      `backtest ${shortId(store, 'backtests', report.id)} canceled; nothing was written but its status`,
    );
  printBacktest(ctx, store, backtestPrint(report, strategy.id, params));
  if (reportOut) {
    const { emitReport } = await import('./report.ts');
    const { backtestReport } = await import('../../app/report-backtest.ts');
    await emitReport(ctx, reportOut, await backtestReport(store, report.id, toIso(ctx.now())), false, true);
  }
}

/** --trades is checked before the run: unwritable is exit 2; an existing file is overwritten only when confirmed or with --yes. */
async function confirmTradesPath(ctx: Context, path: string, yes: boolean): Promise<void> {
  const { checkTradesPath } = await import('../../app/trade-log.ts');
  if (!checkTradesPath(path).exists || yes) return;
  if (ctx.interactive && (await (await import('../prompts.ts')).confirm(`${path} exists. Overwrite it?`))) return;
  throw new UsageError(
    `--trades ${path} already exists`,
    ctx.interactive ? 'not overwritten' : 'pass --yes to overwrite it, or name another file',
  );
}

/** Where the trade list goes in the --json text. */
const TRADES_SLOT = '\n  "trades": []';

/** The result of a run, local or queued (app/backtest-output.ts): text, or --json. */
export function printBacktest(ctx: Context, store: Store, r: BacktestPrint): void {
  const m = r.metrics;
  if (ctx.json) {
    const text = renderJson({
      id: r.id,
      strategy: r.strategy,
      symbol: r.symbol,
      params: r.params,
      status: r.status,
      metrics: m,
      tradeLog: r.tradeLog,
      trades: [],
      rejections: r.rejections,
      resizes: r.resizes,
      notes: r.notes,
      warnings: r.warnings,
    });
    // the trade list is written a piece at a time (tens of thousands of rows), with the same text
    const at = text.indexOf(TRADES_SLOT) + TRADES_SLOT.length - 2;
    const made = tradesJsonOf(r);
    if (made) {
      // the list's text made with the trade log: its rows print as they are
      ctx.print(`${text.slice(0, at)}[\n`);
      for (const b of made) ctx.out.write(b);
      ctx.print(text.slice(at + 2));
      return;
    }
    let head = text.slice(0, at);
    const trades = tradesOf(r);
    emitJsonArray(trades.count, trades.row, 1, (piece) => {
      // ctx.print ends a piece without a newline with one: a piece that has none goes with the next
      // rows with nothing for escapeControl to change (no C1 or DEL: JSON escapes the C0 controls) go out as they are
      const raw = head === '' && trades.clean;
      const t = head + piece;
      head = '';
      if (!t.endsWith('\n')) head = t;
      else if (raw) ctx.out.write(t);
      else ctx.print(t);
    });
    ctx.print(head + text.slice(at + 2));
    return;
  }
  for (const n of r.notes) ctx.note(n);
  const st = ctx.style;
  const pct = (x: number) => st.signed(x, `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`);
  ctx.print(`${st.bold(`backtest ${shortId(store, 'backtests', r.id)}`)}  ${r.strategy} on ${r.symbol}  ${JSON.stringify(r.params)}`);
  ctx.print(
    renderKeyValue(
      [
        ['period', `${m.start} .. ${m.end} (${m.durationDays.toFixed(1)} days)`],
        ['final / peak equity', `${dollars(m.finalEquity)} / ${dollars(m.peakEquity)}`],
        ['return', pct(m.returnPct)],
        [
          'buy & hold gross / net',
          `${pct(m.buyAndHoldReturnPct)} / ${pct(m.buyAndHoldNetReturnPct)} (net: spread and taker fee in and out)`,
        ],
        ['CAGR', pct(m.cagrPct)],
        ['volatility (ann.)', `${m.volatilityAnnPct.toFixed(2)}% (${m.periodsPerYear} days a year)`],
        ['Sharpe / Sortino / Calmar', `${m.sharpe.toFixed(2)} / ${m.sortino.toFixed(2)} / ${m.calmar.toFixed(2)}`],
        [
          'max drawdown',
          `${m.maxDrawdownPct.toFixed(2)}% over ${m.maxDrawdownDurationDays.toFixed(1)} days (avg ${m.avgDrawdownPct.toFixed(2)}%)`,
        ],
        ['exposure', `${m.exposurePct.toFixed(1)}%`],
        ['trades / win rate', `${m.trades} / ${m.winRatePct.toFixed(1)}%`],
        ['best / worst / avg trade', `${m.bestTradePct.toFixed(2)}% / ${m.worstTradePct.toFixed(2)}% / ${m.avgTradePct.toFixed(2)}%`],
        [
          'profit factor / expectancy / SQN',
          `${m.profitFactor === null ? 'n/a' : m.profitFactor.toFixed(2)} / ${dollars(m.expectancy)} / ${m.sqn.toFixed(2)}`,
        ],
        ['fees / funding', `${dollars(m.totalFees)} / ${dollars(m.totalFunding)}`],
        ['orders rejected / resized', `${m.rejectedOrders} / ${m.resizedOrders}`],
        ['trade log', r.tradeLog ?? ''],
      ],
      st,
    ),
  );
  for (const w of r.warnings) ctx.print(st.enabled ? st.chalk.yellow(`warning: ${w}`) : `warning: ${w}`);
  if (r.chart) {
    ctx.print('equity: strategy vs buy & hold');
    ctx.print(renderEquityChart(r.chart.strategy, r.chart.hold, { height: 12, style: st }));
  }
}

export function listStrategies(ctx: Context): void {
  const data = BUILTIN_STRATEGIES.map((s) => ({ id: s.id, description: s.description, params: s.params }));
  if (ctx.json) {
    ctx.print(renderJson(data));
    return;
  }
  ctx.print(
    renderTable(
      [{ header: 'strategy' }, { header: 'description' }, { header: 'parameters (default, range)' }],
      data.map((s) => [
        s.id,
        s.description,
        s.params
          .map(
            (p) =>
              `${p.name}=${p.default}${p.kind === 'enum' ? ` (${p.choices?.join('|')})` : p.min !== undefined ? ` (${p.min}..${p.max ?? ''})` : ''}`,
          )
          .join('\n'),
      ]),
      ctx.style,
    ),
  );
  ctx.note('your own: tunicoin backtest ./my-strategy.js (see fixtures/example-strategy.js)');
}
