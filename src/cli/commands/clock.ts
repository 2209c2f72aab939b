/** `clock` and `market advance DURATION`. */
import { UsageError } from '../../core/errors.ts';
import { formatQty, sumMoney } from '../../core/money.ts';
import { floorToMinute, formatDuration, toIso } from '../../core/time.ts';
import { runAdvance, type AdvanceSummary } from '../../app/advance.ts';
import { setClock } from '../../app/market-data.ts';
import { visibleSummary } from '../../app/visible.ts';
import { getSetting } from '../../store/settings.ts';
import { baseTimeframe, candleBounds } from '../../store/candles.ts';
import { listInstruments } from '../../store/instruments.ts';
import type { Context } from '../context.ts';
import { parseDurationArg, parseStrategyTimeout, parseTime } from '../args.ts';
import { setDefaultStrategyTimeout } from '../../app/strategy-loader.ts';
import { renderJson } from '../render/json.ts';
import { makeProgress } from '../render/progress.ts';
import { renderTable } from '../render/table.ts';
import { cash, moneyJson, priceJson, priceText, shortId } from '../render/trading.ts';
import type { Store } from '../../store/db.ts';

export async function showClock(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const set = getSetting(store, 'clock');
  const clock = set === undefined ? null : Number(set);
  const insts = listInstruments(store).map((i) => {
    const base = baseTimeframe(store, i.id);
    return { symbol: i.symbol, origin: i.origin, timeframe: base, bounds: base ? candleBounds(store, i.id, base) : undefined };
  });
  if (ctx.json) {
    ctx.print(
      renderJson({
        clock: clock === null ? null : toIso(clock),
        instruments: insts.map((i) => ({
          symbol: i.symbol,
          origin: i.origin,
          timeframe: i.timeframe,
          first: i.bounds ? toIso(i.bounds.first) : null,
          lastStored: i.bounds ? toIso(i.bounds.last) : null,
        })),
      }),
    );
    return;
  }
  if (clock === null) {
    ctx.print('clock (none)');
    ctx.note(
      insts.length
        ? 'replay imported history with `tunicoin clock set ISO`'
        : 'run `tunicoin seed`, or import history and `tunicoin clock set ISO`',
    );
    return;
  }
  ctx.print(`clock ${toIso(clock)}`);
}

/** `clock set ISO`: start (or restart) a market replay of imported history. */
export async function setClockCmd(ctx: Context, isoText: string): Promise<void> {
  const t = floorToMinute(parseTime(isoText, 'the time'));
  const store = await ctx.store();
  const r = setClock(store, t);
  if (ctx.json) {
    ctx.print(renderJson(r));
    return;
  }
  ctx.print(`clock ${r.from ?? '(none)'} -> ${r.to}`);
  for (const i of r.instruments) ctx.note(`${i.symbol}: data ${i.first.slice(0, 10)} .. ${i.last.slice(0, 10)}`);
}

export async function advance(
  ctx: Context,
  durationText: string,
  flags: { extend?: string; strategyTimeout?: string } = {},
): Promise<void> {
  const duration = parseDurationArg(durationText, '');
  if (flags.extend !== undefined && flags.extend !== 'synthetic')
    throw new UsageError(`unknown --extend "${flags.extend}"`, 'the only value is synthetic');
  setDefaultStrategyTimeout(parseStrategyTimeout(flags.strategyTimeout));
  const store = await ctx.store();
  const progress = makeProgress(ctx.err, `advancing ${formatDuration(duration)}`, !ctx.json);
  const summary = await runAdvance(
    store,
    ctx.now,
    duration,
    { onProgress: (d, t) => progress.update(d, t) },
    { extendSynthetic: flags.extend === 'synthetic' },
  );
  progress.done();
  printAdvance(ctx, store, visibleSummary(store, summary));
}

/** What happened during an advance: fills, liquidations, funding, bot decisions. */
export function printAdvance(ctx: Context, store: Store, summary: AdvanceSummary): void {
  const report = { from: summary.from, to: summary.to, bars: summary.bars, generated: summary.generated, stopped: summary.stopped };
  const filled = summary.fills;
  const journals = summary.journals;
  const symbols = summary.instruments;
  const fills = filled.map((o) => {
    const spec = symbols.get(o.instrumentId);
    return {
      orderId: o.id,
      account: summary.accounts.get(o.accountId) ?? o.accountId,
      time: toIso(o.filledAt ?? report.to),
      symbol: spec?.symbol ?? '',
      side: o.side,
      size: formatQty(o.filledSize),
      status: o.status,
      price: priceJson(o.fillPrice ?? 0),
      source: o.source,
      commission: moneyJson(o.commission),
      tick: spec?.tickSize ?? 1,
      rawPrice: o.fillPrice,
      rawFee: o.commission,
    };
  });
  const funding = journals.filter((j) => j.type === 'funding');
  const liquidations = fills.filter((f) => f.source === 'liquidation');
  const botOrders = summary.decisions.filter((d) => d.order).length;
  if (ctx.json) {
    ctx.print(
      renderJson({
        from: toIso(report.from),
        to: toIso(report.to),
        bars: report.bars,
        generatedCandles: report.generated,
        stopped: report.stopped,
        botDecisions: summary.decisions.length,
        botOrders,
        fills: fills.map(({ tick: _t, rawPrice: _p, rawFee: _f, ...f }) => f),
        liquidations: liquidations.length,
        botChanges: summary.botChanges,
        funding: funding.map((f) => ({
          accountId: f.accountId,
          time: toIso(f.time),
          amount: moneyJson(f.amount),
          description: f.description,
        })),
      }),
    );
    return;
  }
  ctx.print(
    `clock ${toIso(report.from)} -> ${toIso(report.to)} (${report.bars.toLocaleString('en-US')} bars${report.generated ? `, ${report.generated.toLocaleString('en-US')} synthetic candles generated` : ''})`,
  );
  if (report.stopped) ctx.print(report.stopped);
  if (fills.length) {
    ctx.print(
      renderTable(
        ['time', 'account', 'order', 'symbol', 'side', 'size', 'price', 'fee', 'why'].map((h) => ({ header: h })),
        fills.map((f) => [
          f.time.slice(0, 16).replace('T', ' '),
          f.account,
          shortId(store, 'orders', f.orderId),
          f.symbol,
          f.side,
          f.status === 'partial' ? `${f.size} (partial)` : f.size,
          priceText(f.rawPrice, f.tick),
          cash(f.rawFee),
          f.source,
        ]),
        ctx.style,
      ),
    );
  }
  if (liquidations.length) ctx.print(ctx.style.chalk.red(`${liquidations.length} position(s) liquidated`));
  if (funding.length) {
    const total = sumMoney(funding.map((f) => f.amount));
    ctx.print(`funding: ${funding.length} payment(s), net ${cash(total, ctx.style, true)}`);
  }
  if (summary.decisions.length) ctx.print(`bots: ${summary.decisions.length} decision(s), ${botOrders} order(s)`);
  for (const c of summary.botChanges)
    ctx.print(ctx.style.chalk.yellow(`bot ${c.name}: ${c.from} -> ${c.to}${c.reason ? ` (${c.reason})` : ''}`));
  if (!fills.length && !funding.length && !summary.decisions.length && !summary.botChanges.length)
    ctx.print('nothing happened on your accounts');
}
