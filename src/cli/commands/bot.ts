/** `tunicoin bot ...`: create, list, show, lifecycle, run, delete (decisions and explain: ./bot-decisions.ts). */
import { ConflictError, StrategyError, UsageError } from '../../core/errors.ts';
import { formatQty, parseMoney, type Qty } from '../../core/money.ts';
import { DAY_MS, toIso } from '../../core/time.ts';
import { parseParamPairs } from '../../core/strategy/params.ts';
import type { Params } from '../../core/strategy/types.ts';
import { botWarmupMessage, createBot, transition, type BotAction } from '../../app/bots.ts';
import type { Store } from '../../store/db.ts';
import { runAdvance } from '../../app/advance.ts';
import { visibleSummary } from '../../app/visible.ts';
import { resolveAccountId, withPaper } from '../../app/paper.ts';
import { accountName, accountOwner } from '../../store/accounts.ts';
import { botOpenPosition, deleteBot, findBot, listUserBots, refreshBotStats, type BotRow } from '../../store/bots.ts';
import { readClock } from '../../store/clock.ts';
import { findInstrument, instrumentById } from '../../store/instruments.ts';
import {
  parseDurationArg,
  parseLeverageArg,
  parseMoneyArg,
  parsePercentArg,
  parseSizeArg,
  parseStrategyTimeout,
  parseTimeframe,
} from '../args.ts';
import { setDefaultStrategyTimeout } from '../../app/strategy-loader.ts';
import { confirmOrRefuse } from '../confirm.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { makeProgress } from '../render/progress.ts';
import { renderKeyValue, renderTable } from '../render/table.ts';
import { cash, moneyJson, shortId } from '../render/trading.ts';
import { printAdvance } from './clock.ts';
import { botUnrealized } from '../../store/summaries.ts';
import { botCreateWarnings } from '../../app/bot-checks.ts';

export interface BotCreateFlags {
  strategy?: string;
  symbol?: string;
  timeframe?: string;
  account?: string;
  param?: string[];
  size?: string;
  leverage?: string;
  maxPosition?: string;
  maxDailyLoss?: string;
  maxDrawdown?: string;
  strict?: boolean;
}

export async function botCreate(ctx: Context, name: string, f: BotCreateFlags): Promise<void> {
  if (!f.strategy)
    throw new UsageError('--strategy is required', 'e.g. tunicoin bot create trend --strategy ema_crossover --symbol BTC-USD');
  if (!f.symbol) throw new UsageError('--symbol is required');
  const timeframe = parseTimeframe(f.timeframe ?? '1h');
  const leverage = parseLeverageArg(f.leverage ?? '1', '--leverage');
  const maxPosition = f.maxPosition === undefined ? null : parseSizeArg(f.maxPosition, '--max-position');
  const maxDailyLoss = f.maxDailyLoss === undefined ? null : parseMoneyArg(f.maxDailyLoss, '--max-daily-loss');
  const maxDrawdown = f.maxDrawdown === undefined ? null : parsePercentArg(f.maxDrawdown, '--max-drawdown');
  const store = await ctx.store();
  const inst = findInstrument(store, f.symbol);
  const accountId = resolveAccountId(store, f.account);
  const nowIso = toIso(ctx.now());
  const warnings = botCreateWarnings(store, { name: name.trim(), accountId, instrument: inst, timeframe, leverage });
  if (f.strict && warnings.length) throw new ConflictError(`bot "${name.trim()}" not created (--strict): ${warnings.join('; ')}`);
  const id = await createBot(
    store,
    {
      name: name.trim(),
      strategyRef: f.strategy,
      rawParams: parseParamPairs(f.param ?? []),
      instrumentId: inst.id,
      accountId,
      timeframe,
      size: f.size,
      leverage,
      maxPosition,
      maxDailyLoss,
      maxDrawdown,
      ownerId: accountOwner(store, accountId), // a bot belongs to its account's user
    },
    nowIso,
  );
  if (ctx.json) {
    ctx.print(renderJson({ ...botJson(store, findBot(store, id)), warnings }));
    return;
  }
  for (const w of warnings) ctx.note(ctx.style.chalk.yellow(`warning: ${w}`));
  ctx.print(
    `created bot "${name.trim()}" (${shortId(store, 'bots', id)}): ${f.strategy} on ${inst.symbol} ${timeframe}; start it with \`tunicoin bot start ${name.trim()}\``,
  );
}

function botJson(store: ReturnType<Context['store']> extends Promise<infer S> ? S : never, b: BotRow) {
  const inst = instrumentById(store, b.instrument_id);
  return {
    id: b.id,
    name: b.name,
    status: b.status,
    strategy: b.strategy_id,
    params: JSON.parse(b.params) as Params,
    symbol: inst?.symbol ?? null,
    timeframe: b.timeframe,
    account: accountName(store, b.account_id) ?? b.account_id,
    size: b.size_spec,
    leverage: b.leverage,
    limits: {
      maxPosition: b.max_position_size === null ? null : formatQty(b.max_position_size),
      maxDailyLoss: b.max_daily_loss === null ? null : moneyJson(b.max_daily_loss),
      maxDrawdownPct: b.max_drawdown,
    },
    // realised = closed trades, fees and funding (from the ledger); unrealised = its open position at the clock's mark
    stats: {
      trades: b.total_trades,
      winning: b.winning_trades,
      losing: b.losing_trades,
      realizedPnl: moneyJson(b.total_pnl),
      unrealizedPnl: moneyJson(botUnrealized(store, b.id)),
      totalPnl: moneyJson(b.total_pnl + botUnrealized(store, b.id)),
    },
    circuitBroken: b.is_circuit_broken === 1,
    circuitBreakerReason: b.circuit_breaker_reason,
    lastError: b.last_error,
    startedAt: b.started_at === null ? null : toIso(b.started_at),
    lastCandleAt: b.last_candle_at === null ? null : toIso(b.last_candle_at),
    lastRunAt: b.last_execution_at,
  };
}

export async function botList(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const bots = listUserBots(store).map((b) => botJson(store, b));
  if (ctx.json) {
    ctx.print(renderJson(bots));
    return;
  }
  if (!bots.length) {
    ctx.note('no bots yet: tunicoin bot create trend --strategy ema_crossover --symbol BTC-USD');
    return;
  }
  ctx.print(
    renderTable(
      ['name', 'status', 'strategy', 'symbol', 'tf', 'account', 'trades', 'win/loss', 'realised', 'unrealised', 'total PnL'].map((h) => ({
        header: h,
      })),
      bots.map((b) => [
        b.name,
        b.circuitBroken ? `${b.status} (breaker)` : b.status,
        b.strategy,
        b.symbol ?? '',
        b.timeframe,
        b.account,
        String(b.stats.trades),
        `${b.stats.winning}/${b.stats.losing}`,
        cash(parseMoney(b.stats.realizedPnl), ctx.style, true),
        cash(parseMoney(b.stats.unrealizedPnl), ctx.style, true),
        cash(parseMoney(b.stats.totalPnl), ctx.style, true),
      ]),
      ctx.style,
    ),
  );
}

export async function botShow(ctx: Context, ref: string): Promise<void> {
  const store = await ctx.store();
  const b = botJson(store, findBot(store, ref));
  if (ctx.json) {
    ctx.print(renderJson(b));
    return;
  }
  ctx.print(
    renderKeyValue(
      [
        ['bot', `${b.name} (${shortId(store, 'bots', b.id)})`],
        ['status', b.circuitBroken ? `${b.status}, circuit breaker: ${b.circuitBreakerReason}` : b.status],
        ['strategy', `${b.strategy} ${JSON.stringify(b.params)}`],
        ['market', `${b.symbol} ${b.timeframe} on account ${b.account}`],
        ['size / leverage', `${b.size} / ${b.leverage}x`],
        [
          'limits',
          `max position ${b.limits.maxPosition ?? '-'}, max daily loss ${b.limits.maxDailyLoss ?? '-'}, max drawdown ${b.limits.maxDrawdownPct === null ? '-' : `${b.limits.maxDrawdownPct}%`}`,
        ],
        ['trades (won/lost)', `${b.stats.trades} (${b.stats.winning}/${b.stats.losing})`],
        [
          'PnL realised / unrealised',
          `${cash(parseMoney(b.stats.realizedPnl), ctx.style, true)} / ${cash(parseMoney(b.stats.unrealizedPnl), ctx.style, true)}`,
        ],
        ['total PnL', cash(parseMoney(b.stats.totalPnl), ctx.style, true)],
        ['started at (clock)', b.startedAt ?? '-'],
        ['last candle', b.lastCandleAt ?? '-'],
        ['last run', b.lastRunAt ?? '-'],
        ['last error', b.lastError ?? '-'],
      ],
      ctx.style,
    ),
  );
}

export async function botAction(ctx: Context, ref: string, action: BotAction): Promise<void> {
  const store = await ctx.store();
  const status = store.tx(() => transition(store, findBot(store, ref), action, readClock(store), toIso(ctx.now())));
  if (ctx.json) ctx.print(renderJson({ bot: ref, action, status }));
  else ctx.print(`bot ${ref}: ${status}`);
  if (action === 'start') await noteWarmup(ctx, store, ref);
}

export async function botDelete(ctx: Context, ref: string, flags: { force?: boolean }): Promise<void> {
  const store = await ctx.store();
  const bot = findBot(store, ref);
  const pos = botOpenPosition(store, bot);
  if (pos && !flags.force)
    throw new ConflictError(
      `bot "${bot.name}" holds a ${pos.side} position of ${formatQty(pos.size)}`,
      'close it first, or pass --force to close it at market and delete',
    );
  await confirmOrRefuse(
    ctx,
    pos
      ? `Close bot ${bot.name}'s ${pos.side} position of ${formatQty(pos.size)} at market and delete the bot with its decisions?`
      : `Delete bot ${bot.name} with its decisions?`,
    `bot delete ${bot.name}`,
  );
  withPaper(
    store,
    ctx.now,
    (s) => {
      if (pos) {
        const o = s.engine.placeOrder({
          accountId: bot.account_id,
          instrumentId: bot.instrument_id,
          side: pos.side === 'long' ? 'sell' : 'buy',
          type: 'market',
          size: pos.size as Qty,
          fillNow: true,
          reduceOnly: true,
          source: 'close',
          botId: bot.id,
        });
        if (o.status !== 'filled') throw new ConflictError(`could not close the bot's position: ${o.rejectReason}`);
      }
      for (const o of s.state.orders.filter((x) => x.botId === bot.id)) s.engine.cancelOrder(o, 'bot deleted');
      deleteBot(store, bot.id);
    },
    { accountIds: [bot.account_id], instrumentIds: [bot.instrument_id] },
  );
  if (ctx.json) ctx.print(renderJson({ deleted: bot.id, closedPosition: Boolean(pos) }));
  else ctx.print(`deleted bot "${bot.name}"${pos ? ' after closing its position' : ''}`);
}

export async function botRun(ctx: Context, ref: string, flags: { for?: string; strategyTimeout?: string }): Promise<void> {
  const duration = parseDurationArg(flags.for ?? '', '--for');
  if (duration > 366 * DAY_MS) throw new UsageError('run at most 366 days at a time', 'e.g. --for 30d');
  setDefaultStrategyTimeout(parseStrategyTimeout(flags.strategyTimeout));
  const store = await ctx.store();
  const bot = findBot(store, ref);
  if (bot.status === 'idle' || bot.status === 'stopped') {
    store.tx(() => transition(store, bot, 'start', readClock(store), toIso(ctx.now())));
    await noteWarmup(ctx, store, bot.id);
  } else if (bot.status !== 'running')
    throw new ConflictError(
      `bot "${bot.name}" is ${bot.status}${bot.circuit_breaker_reason ? ` (${bot.circuit_breaker_reason})` : ''}`,
      bot.status === 'paused' ? `resume it (or \`bot reset ${bot.name}\`)` : `\`bot reset ${bot.name}\` then resume`,
    );
  const live = !ctx.json && Boolean((ctx.err as { isTTY?: boolean }).isTTY);
  const progress = makeProgress(ctx.err, `running ${bot.name}`, !ctx.json);
  const summary = await runAdvance(store, ctx.now, duration, {
    onProgress: (d, t) => progress.update(d, t),
    onSlice: live
      ? (sum) => {
          const mine = sum.decisions.filter((d) => d.botId === bot.id);
          const last = mine[mine.length - 1];
          const row = findBot(store, bot.id);
          ctx.err.write(
            `\r\x1b[2K${toIso(sum.to).slice(0, 16)}  last: ${last ? `${last.decision} (${last.explanation.reason})` : '-'}  trades ${row.total_trades}  PnL ${cash(row.total_pnl)}\n`,
          );
        }
      : undefined,
  });
  progress.done();
  const after = findBot(store, bot.id);
  refreshBotStats(store, bot.id);
  const view = botJson(store, findBot(store, bot.id));
  if (ctx.json) {
    ctx.print(
      renderJson({
        bot: view,
        from: toIso(summary.from),
        to: toIso(summary.to),
        decisions: summary.decisions.filter((d) => d.botId === bot.id).length,
        botChanges: summary.botChanges,
      }),
    );
    failedBot(after);
    return;
  }
  printAdvance(ctx, store, visibleSummary(store, summary));
  ctx.print(
    `bot ${after.name}: ${after.status}${after.circuit_breaker_reason ? ` (${after.circuit_breaker_reason})` : ''}, trades ${after.total_trades}, PnL realised ${cash(after.total_pnl, ctx.style, true)}, unrealised ${cash(parseMoney(view.stats.unrealizedPnl), ctx.style, true)}, total ${cash(parseMoney(view.stats.totalPnl), ctx.style, true)}`,
  );
  failedBot(after);
}

/** The bot's strategy failed during the run (it is in `error` now; the clock and the other bots went on): exit 9. */
function failedBot(bot: { name: string; status: string; last_error: string | null }): void {
  if (bot.status === 'error')
    throw new StrategyError(
      `bot ${bot.name} stopped with an error: ${bot.last_error ?? 'its strategy failed'}`,
      `fix it, then \`tunicoin bot reset ${bot.name}\` and \`bot resume\``,
    );
}

/** Say what history the bot's strategy warms up on (stderr). */
async function noteWarmup(ctx: Context, store: Store, ref: string): Promise<void> {
  try {
    const m = await botWarmupMessage(store, findBot(store, ref), readClock(store));
    ctx.note(m.cold ? `warning: ${m.text}` : m.text);
  } catch (e) {
    // an invalid strategy: its first advance puts the bot in error with this message
    ctx.note(`warning: ${e instanceof Error ? e.message : String(e)}`);
  }
}
