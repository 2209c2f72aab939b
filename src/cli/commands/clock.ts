/** `clock` and `market advance DURATION`. */
import { UsageError } from '../../core/errors.ts';
import { formatQty, type Money } from '../../core/money.ts';
import { formatDuration, parseDuration, toIso } from '../../core/time.ts';
import { runAdvance, type AdvanceSummary } from '../../app/advance.ts';
import { visibleSummary } from '../../app/visible.ts';
import { readClock } from '../../store/clock.ts';
import { candleBounds } from '../../store/candles.ts';
import { listInstruments } from '../../store/instruments.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { makeProgress } from '../render/progress.ts';
import { renderTable } from '../render/table.ts';
import { cash, moneyJson, priceJson, priceText, shortId } from '../render/trading.ts';

export async function showClock(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const clock = readClock(store);
  const insts = listInstruments(store).map((i) => ({ symbol: i.symbol, bounds: candleBounds(store, i.id) }));
  if (ctx.json) {
    ctx.print(renderJson({ clock: toIso(clock), instruments: insts.map((i) => ({ symbol: i.symbol, first: i.bounds ? toIso(i.bounds.first) : null, lastStored: i.bounds ? toIso(i.bounds.last) : null })) }));
    return;
  }
  ctx.print(`clock ${toIso(clock)}`);
}

export async function advance(ctx: Context, durationText: string): Promise<void> {
  const duration = parseDuration(durationText);
  if (duration === null) throw new UsageError(`"${durationText}" is not a duration`, 'e.g. 15m, 4h, 2d, 1w or 1d12h');
  const store = await ctx.store();
  const progress = makeProgress(ctx.err, `advancing ${formatDuration(duration)}`, !ctx.json);
  const summary = await runAdvance(store, ctx.now, duration, { onProgress: (d, t) => progress.update(d, t) });
  progress.done();
  printAdvance(ctx, visibleSummary(store, summary));
}

/** What happened during an advance: fills, liquidations, funding, bot decisions. */
export function printAdvance(ctx: Context, summary: AdvanceSummary): void {
  const report = { from: summary.from, to: summary.to, bars: summary.bars, generated: summary.generated };
  const filled = summary.fills;
  const journals = summary.journals;
  const symbols = summary.instruments;
  const fills = filled.map((o) => {
    const spec = symbols.get(o.instrumentId);
    return { orderId: o.id, time: toIso(o.filledAt ?? report.to), symbol: spec?.symbol ?? '', side: o.side, size: formatQty(o.size), price: priceJson(o.fillPrice ?? 0), source: o.source, commission: moneyJson(o.commission), tick: spec?.tickSize ?? 1, rawPrice: o.fillPrice, rawFee: o.commission };
  });
  const funding = journals.filter((j) => j.type === 'funding');
  const liquidations = fills.filter((f) => f.source === 'liquidation');
  const botOrders = summary.decisions.filter((d) => d.order).length;
  if (ctx.json) {
    ctx.print(renderJson({ from: toIso(report.from), to: toIso(report.to), bars: report.bars, generatedCandles: report.generated, botDecisions: summary.decisions.length, botOrders,
      fills: fills.map(({ tick: _t, rawPrice: _p, rawFee: _f, ...f }) => f), liquidations: liquidations.length,
      funding: funding.map((f) => ({ accountId: f.accountId, time: toIso(f.time), amount: moneyJson(f.amount), description: f.description })) }));
    return;
  }
  ctx.print(`clock ${toIso(report.from)} -> ${toIso(report.to)} (${report.bars.toLocaleString('en-US')} bars${report.generated ? `, ${report.generated.toLocaleString('en-US')} synthetic candles generated` : ''})`);
  if (fills.length) {
    ctx.print(renderTable(['time', 'order', 'symbol', 'side', 'size', 'price', 'fee', 'why'].map((h) => ({ header: h })),
      fills.map((f) => [f.time.slice(0, 16).replace('T', ' '), shortId(f.orderId), f.symbol, f.side, f.size, priceText(f.rawPrice, f.tick), cash(f.rawFee), f.source]), ctx.style));
  }
  if (liquidations.length) ctx.print(ctx.style.chalk.red(`${liquidations.length} position(s) liquidated`));
  if (funding.length) {
    const total = funding.reduce((s, f) => s + f.amount, 0) as Money;
    ctx.print(`funding: ${funding.length} payment(s), net ${cash(total, ctx.style, true)}`);
  }
  if (summary.decisions.length) ctx.print(`bots: ${summary.decisions.length} decision(s), ${botOrders} order(s)`);
  if (!fills.length && !funding.length && !summary.decisions.length) ctx.print('nothing happened on your accounts');
}
