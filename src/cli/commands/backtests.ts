/** `backtests` and `backtests show ID [--monthly]`: the stored backtests, listed and shown. */
import { ConflictError } from '../../core/errors.ts';
import { PPM_SCALE } from '../../core/money.ts';
import type { MonthlyReturn } from '../../core/metrics.ts';
import { findBacktest, listUserBacktests, type BacktestView } from '../../store/backtests.ts';
import { runSpecOf } from '../../app/report-backtest.ts';
import { parsePositiveInt } from '../args.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { monthlyTable, MONTH_NAMES } from '../render/monthly.ts';
import { renderKeyValue, renderTable } from '../render/table.ts';
import { moneyJson, shortId } from '../render/trading.ts';

export async function listBacktests(ctx: Context, flags: { limit?: string }): Promise<void> {
  const limit = flags.limit === undefined ? 20 : parsePositiveInt(flags.limit, '--limit');
  const store = await ctx.store();
  const rows = listUserBacktests(store, limit);
  const data = rows.map((r) => {
    const m = r.metrics ? (JSON.parse(r.metrics) as Record<string, number>) : null;
    return {
      id: r.id,
      strategy: r.strategy_id,
      symbol: r.symbol,
      timeframe: r.timeframe,
      status: r.status,
      progress: r.progress,
      returnPct: m?.returnPct ?? null,
      sharpe: m?.sharpe ?? null,
      trades: m?.trades ?? null,
      createdAt: r.created_at,
    };
  });
  if (ctx.json) {
    ctx.print(renderJson(data));
    return;
  }
  if (!data.length) {
    ctx.note('no backtests yet: tunicoin backtest ema_crossover');
    return;
  }
  ctx.print(
    renderTable(
      ['id', 'created', 'strategy', 'symbol', 'tf', 'status', 'return %', 'sharpe', 'trades'].map((h) => ({ header: h })),
      data.map((d) => [
        shortId(store, 'backtests', d.id),
        d.createdAt.slice(0, 16).replace('T', ' '),
        d.strategy,
        d.symbol,
        d.timeframe,
        d.status,
        d.returnPct === null ? '' : d.returnPct.toFixed(2),
        d.sharpe === null ? '' : d.sharpe.toFixed(2),
        d.trades === null ? '' : String(d.trades),
      ]),
      ctx.style,
    ),
  );
}

export async function showBacktest(ctx: Context, idPrefix: string, flags: { monthly?: boolean } = {}): Promise<void> {
  const store = await ctx.store();
  const data = backtestView(findBacktest(store, idPrefix));
  if (flags.monthly) {
    printMonthly(ctx, data.metrics);
    return;
  }
  if (ctx.json) {
    ctx.print(renderJson(data));
    return;
  }
  const { metrics, ...rest } = data;
  ctx.print(
    renderKeyValue(
      Object.entries(rest).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')]),
      ctx.style,
    ),
  );
  if (metrics)
    ctx.print(
      renderKeyValue(
        Object.entries(metrics).map(([k, v]) => [k, String(v)]),
        ctx.style,
      ),
    );
}

/** A stored backtest as `backtests show` gives it: camelCase, money as decimal strings, the run's settings apart from the strategy's parameters. */
function backtestView(r: BacktestView) {
  const spec = runSpecOf(r);
  return {
    id: r.id,
    strategy: spec.strategyRef,
    symbol: r.symbol,
    timeframe: r.timeframe,
    status: r.status,
    progress: r.progress,
    params: spec.params,
    size: spec.sizeText,
    leverage: spec.leverage,
    makerFee: spec.makerFee / PPM_SCALE,
    takerFee: spec.takerFee / PPM_SCALE,
    initialCapital: moneyJson(r.initial_capital),
    start: r.start_date,
    end: r.end_date,
    error: r.error_message,
    createdAt: r.created_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    metrics: r.metrics ? (JSON.parse(r.metrics) as Record<string, unknown>) : null,
  };
}

/** `backtests show ID --monthly`: the strategy's return of each calendar month, a row per year. */
function printMonthly(ctx: Context, metrics: { monthlyReturns?: MonthlyReturn[] } | null): void {
  const months = metrics?.monthlyReturns;
  if (!months)
    throw new ConflictError(
      'this backtest has no monthly returns stored (it did not complete, or ran before they were recorded): run it again',
    );
  if (ctx.json) {
    ctx.print(renderJson(months));
    return;
  }
  const table = monthlyTable(months);
  ctx.print(
    renderTable(
      ['year', ...MONTH_NAMES, 'year %'].map((h, k) => ({ header: h, align: k ? ('right' as const) : ('left' as const) })),
      table.map((y) => [
        y.year,
        ...y.months.map((m) => (m === null ? '' : ctx.style.signed(m, m.toFixed(2)))),
        ctx.style.signed(y.total, y.total.toFixed(2)),
      ]),
      ctx.style,
    ),
  );
}
