/** `order buy|sell`, `orders`, `order show`, `order cancel`. */
import { ConflictError, InsufficientMarginError, RejectedError, UsageError } from '../../core/errors.ts';
import type { RejectCode, RejectFigures } from '../../core/orders.ts';
import type { OrderType, Side } from '../../core/fill.ts';
import { formatQty, type Price, type Qty } from '../../core/money.ts';
import { dryRun, resolveAccountId, withPaper } from '../../app/paper.ts';
import { findInstrument } from '../../store/instruments.ts';
import { findOrder, listOrders, type OrderView } from '../../store/orders.ts';
import { orderFromRow } from '../../app/engine-store.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { renderKeyValue, renderTable } from '../render/table.ts';
import { cash, moneyJson, orderJson, priceDecimal, priceText, shortId, shortIds } from '../render/trading.ts';
import type { Store } from '../../store/db.ts';
import { parseLeverageArg, parsePositiveInt, parsePriceArg, parseSizeArg } from '../args.ts';
import { parseTrail, type Trail } from '../../core/trail.ts';
import { amendOrder } from '../../app/amend.ts';
import { amendmentsOf } from '../../store/amendments.ts';
import { askOrderDetails, confirm } from '../prompts.ts';

/** What the engine says about a rejected order. */
interface RejectedOrder {
  readonly id: string;
  readonly rejectCode: RejectCode | null;
  readonly rejectReason: string | null;
  readonly rejectFigures?: RejectFigures;
}

/** The typed error of an order the engine rejected: its code, and the figures of a margin refusal. */
export function orderRejected(o: RejectedOrder, shown = o.id): RejectedError {
  const message = `order ${shown} rejected: ${o.rejectReason ?? 'rejected'}`;
  const f = o.rejectFigures;
  return f
    ? new InsufficientMarginError(message, moneyJson(f.required), moneyJson(f.available), o.id)
    : new RejectedError(o.rejectCode ?? 'rejected', message, o.id);
}

/** The figures of a margin rejection for --json (decimal strings), or nothing. */
const rejectFiguresJson = (o: Pick<RejectedOrder, 'rejectFigures'>) =>
  o.rejectFigures ? { required: moneyJson(o.rejectFigures.required), available: moneyJson(o.rejectFigures.available) } : {};

export interface OrderFlags {
  type?: string;
  price?: string;
  stop?: string;
  leverage?: string;
  sl?: string;
  tp?: string;
  account?: string;
  trail?: string;
}

/** --trail 2% (of the best price) or --trail 500 (a price distance). */
export function parseTrailFlag(text: string): Trail {
  const t = parseTrail(text);
  if (!t) throw new UsageError(`--trail must be a distance like 500 or a percentage like 2%, got "${text}"`);
  return t;
}

const ORDER_TYPES: readonly OrderType[] = ['market', 'limit', 'stop', 'stop_limit'];

function parseSize(text: string | undefined): Qty {
  if (text === undefined || text.trim() === '') throw new UsageError('missing SIZE', 'e.g. tunicoin order buy BTC-USD 0.1');
  return parseSizeArg(text, 'SIZE');
}

const parseOptPrice = (text: string | undefined, flag: string): Price | null => (text === undefined ? null : parsePriceArg(text, flag));

/** undefined = not given: a new position gets 1x, an existing one keeps its leverage; above the account's maximum: rejected. */
export function parseLeverage(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseLeverageArg(text, '--leverage', { min: 0, max: null });
}

export async function placeOrder(
  ctx: Context,
  sideArg: string | undefined,
  symbolArg: string | undefined,
  sizeArg: string | undefined,
  flags: OrderFlags,
): Promise<void> {
  let [side, symbol, size] = [sideArg, symbolArg, sizeArg];
  const store = await ctx.store();
  let confirmCost = false;
  if ((!side || !symbol || !size) && ctx.interactive) {
    ({ side, symbol, size } = await askOrderDetails({ side, symbol, size }));
    confirmCost = true;
  }
  if (side === undefined) throw new UsageError('missing the side, SYMBOL and SIZE', 'e.g. tunicoin order buy BTC-USD 0.1');
  if (side !== 'buy' && side !== 'sell')
    throw new UsageError(`the side must be buy or sell, got "${side}"`, 'e.g. tunicoin order buy BTC-USD 0.1');
  const orderSide: Side = side; // the object literal below would widen the narrowed `let` back to string
  if (!symbol) throw new UsageError('missing SYMBOL', 'e.g. tunicoin order buy BTC-USD 0.1');
  const type = (flags.type ?? (flags.price && flags.stop ? 'stop_limit' : flags.price ? 'limit' : flags.stop ? 'stop' : 'market')).replace(
    '-',
    '_',
  ) as OrderType;
  // --trail on a stop order without --stop makes the order itself a trailing stop; otherwise it is
  // a trailing stop-loss put on the position when the order fills.
  const trail = flags.trail === undefined ? null : parseTrailFlag(flags.trail);
  const standaloneTrail = trail !== null && type === 'stop' && flags.stop === undefined;
  if (trail !== null && type === 'stop_limit') throw new UsageError('--trail works on market, limit and stop orders, not stop-limit');
  if (!ORDER_TYPES.includes(type)) throw new UsageError(`unknown --type "${flags.type}"`, 'use market, limit, stop or stop-limit');
  // A missing level is the command line's mistake: said at once, nothing stored (not a stored rejection).
  const named = type.replace('_', '-');
  if ((type === 'limit' || type === 'stop_limit') && flags.price === undefined)
    throw new UsageError(
      `a ${named} order needs --price`,
      `e.g. tunicoin order buy BTC-USD 0.1 --type ${named} --price 60000${type === 'stop_limit' ? ' --stop 61000' : ''}`,
    );
  if ((type === 'stop' || type === 'stop_limit') && flags.stop === undefined && !standaloneTrail)
    throw new UsageError(
      `a ${named} order needs --stop`,
      `e.g. tunicoin order sell BTC-USD 0.1 --type ${named} --stop 58000${type === 'stop_limit' ? ' --price 57900' : ''}`,
    );
  const qty = parseSize(size);
  const price = parseOptPrice(flags.price, '--price');
  const stop = parseOptPrice(flags.stop, '--stop');
  const sl = parseOptPrice(flags.sl, '--sl');
  const tp = parseOptPrice(flags.tp, '--tp');
  const leverage = parseLeverage(flags.leverage);
  const inst = findInstrument(store, symbol);
  const accountId = resolveAccountId(store, flags.account);
  const request = {
    accountId,
    instrumentId: inst.id,
    side: orderSide,
    type,
    size: qty,
    price,
    stopPrice: stop,
    leverage,
    stopLoss: sl,
    takeProfit: tp,
    source: 'manual' as const,
    fillNow: true,
    trail: standaloneTrail ? trail : null,
    slTrail: standaloneTrail ? null : trail,
  };
  const scope = { accountIds: [accountId], instrumentIds: [inst.id] };
  if (confirmCost) {
    const { preview, held } = dryRun(
      store,
      (engine) => {
        const pos = engine.account(accountId).positions.get(inst.id);
        return { held: pos ? { leverage: pos.leverage, long: pos.size > 0 } : null, preview: engine.placeOrder(request) };
      },
      scope,
    );
    const remargins = held !== null && held.long === (side === 'buy') && held.leverage !== preview.leverage;
    const lev = remargins ? `${preview.leverage}x (the whole position re-margined from ${held.leverage}x)` : `${preview.leverage}x`;
    const cost =
      preview.status === 'rejected'
        ? `would be rejected: ${preview.rejectReason}`
        : preview.status === 'filled'
          ? `~${priceText(preview.fillPrice, inst.tickSize)}, margin ${cash(preview.marginRequired)}, fee ${cash(preview.commission)}`
          : `rests until the price is reached, margin ~${cash(preview.marginRequired)}`;
    const ok = await confirm(`${side} ${formatQty(qty)} ${inst.symbol} ${type.replace('_', '-')} at ${lev}: ${cost}. Place it?`);
    if (!ok) {
      ctx.note('not placed');
      return;
    }
  }
  const { order, before } = withPaper(
    store,
    ctx.now,
    (s) => {
      // The position's leverage before the order: adding at another leverage re-margins all of it.
      const held = s.engine.account(accountId).positions.get(inst.id);
      const was = held ? { leverage: held.leverage, long: held.size > 0 } : null;
      return { order: s.engine.placeOrder(request), before: was };
    },
    scope,
  );
  const view = findOrder(store, order.id);
  const remargined =
    before !== null && order.filledSize > 0 && before.long === (order.side === 'buy') && before.leverage !== order.leverage;
  if (ctx.json)
    ctx.print(
      renderJson({
        ...orderJson(view, inst.tickSize),
        ...rejectFiguresJson(order),
        ...(remargined ? { remarginedFrom: before.leverage } : {}),
      }),
    );
  if (order.status === 'rejected') throw orderRejected(order, shortId(store, 'orders', order.id));
  if (!ctx.json) {
    ctx.print(orderLine(ctx, store, view, inst.tickSize));
    if (remargined) ctx.note(`note: the whole ${inst.symbol} position is now margined at ${order.leverage}x (it was ${before.leverage}x)`);
    if (order.trail !== null)
      ctx.note(`trailing stop: ${flags.trail} behind the best price, now at ${priceText(order.stopPrice, inst.tickSize)}`);
    else if (order.slTrail !== null) ctx.note(`trailing stop-loss: ${flags.trail} behind the best price since entry`);
  }
}

function orderLine(ctx: Context, store: Store, o: OrderView, tick: number): string {
  const what = `${o.side} ${formatQty(o.size)} ${o.symbol} ${o.order_type.replace('_', '-')}`;
  if (o.status === 'partial') {
    return `${ctx.style.bold(shortId(store, 'orders', o.id))} partial: ${what}, ${formatQty(o.filled_size)} filled @ ${priceText(o.fill_price, tick)} so far (fee ${cash(o.commission)}); the rest keeps working`;
  }
  if (o.status === 'filled') {
    return `${ctx.style.bold(shortId(store, 'orders', o.id))} filled: ${what} @ ${priceText(o.fill_price, tick)} (slippage ${priceText(o.slippage, tick)}, fee ${cash(o.commission)}, margin ${cash(o.margin_required)})`;
  }
  const at = [
    o.price !== null ? `limit ${priceText(o.price, tick)}` : '',
    o.stop_price !== null ? `stop ${priceText(o.stop_price, tick)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${ctx.style.bold(shortId(store, 'orders', o.id))} ${o.status}: ${what}${at ? ` (${at})` : ''}`;
}

export async function listOrdersCmd(ctx: Context, flags: { status?: string; account?: string; limit?: string }): Promise<void> {
  const status = flags.status ?? 'open';
  if (status !== 'open' && status !== 'all') throw new UsageError(`--status must be open or all, got "${status}"`);
  const limit = flags.limit === undefined ? 100 : parsePositiveInt(flags.limit, '--limit');
  const store = await ctx.store();
  const accountId = resolveAccountId(store, flags.account);
  const rows = listOrders(store, accountId, status, limit);
  const ticks = new Map(rows.map((r) => [r.symbol, findInstrument(store, r.symbol).tickSize]));
  if (ctx.json) {
    ctx.print(renderJson(rows.map((r) => orderJson(r, ticks.get(r.symbol) as number))));
    return;
  }
  if (rows.length === 0) {
    ctx.note(status === 'open' ? 'no open orders (see --status all)' : 'no orders yet');
    return;
  }
  const short = shortIds(
    store,
    'orders',
    rows.map((r) => r.id),
  );
  ctx.print(
    renderTable(
      ['id', 'created', 'symbol', 'side', 'type', 'size', 'price', 'stop', 'status', 'fill', 'fee', 'source'].map((h) => ({ header: h })),
      rows.map((r) => {
        const tick = ticks.get(r.symbol) as number;
        return [
          short(r.id),
          r.created_at.slice(0, 16).replace('T', ' '),
          r.symbol,
          r.side,
          r.order_type.replace('_', '-'),
          formatQty(r.size),
          priceText(r.price, tick),
          priceText(r.stop_price, tick),
          r.status === 'partial' || (r.status === 'canceled' && r.filled_size > 0)
            ? `${r.status} ${formatQty(r.filled_size)}/${formatQty(r.size)}`
            : r.status,
          priceText(r.fill_price, tick),
          r.commission ? cash(r.commission) : '',
          r.source,
        ];
      }),
      ctx.style,
    ),
  );
}

export async function showOrder(ctx: Context, id: string): Promise<void> {
  const store = await ctx.store();
  const o = findOrder(store, id);
  const tick = findInstrument(store, o.symbol).tickSize;
  const history = amendmentsOf(store, { orderId: o.id }).map((a) => ({
    at: a.clock_at,
    before: JSON.parse(a.before) as Record<string, number | null>,
    after: JSON.parse(a.after) as Record<string, number | null>,
  }));
  const j = orderJson(o, tick);
  if (ctx.json) {
    ctx.print(
      renderJson({
        ...j,
        amendments: history.map((h) => ({ at: h.at, before: amendJson(h.before, tick), after: amendJson(h.after, tick) })),
      }),
    );
    return;
  }
  ctx.print(
    renderKeyValue(
      Object.entries(j)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, String(v)]),
      ctx.style,
    ),
  );
  for (const h of history) {
    const b = amendJson(h.before, tick);
    const a = amendJson(h.after, tick);
    const changed = Object.keys(a)
      .filter((k) => a[k] !== b[k])
      .map((k) => `${k} ${b[k] ?? '-'} -> ${a[k] ?? '-'}`);
    ctx.print(`amended at ${h.at.slice(0, 16).replace('T', ' ')}: ${changed.join(', ') || 'no change'}`);
  }
}

function amendJson(v: Record<string, number | null>, tick: number): Record<string, string | null> {
  return {
    price: v.price == null ? null : priceDecimal(v.price, tick),
    stopPrice: v.stopPrice == null ? null : priceDecimal(v.stopPrice, tick),
    size: v.size == null ? null : formatQty(v.size),
  };
}

/** `order amend ID [--price P] [--stop P] [--size N]`: change a working order in place. */
export async function amendOrderCmd(ctx: Context, id: string, flags: { price?: string; stop?: string; size?: string }): Promise<void> {
  if (flags.price === undefined && flags.stop === undefined && flags.size === undefined)
    throw new UsageError('nothing to amend', 'give --price, --stop and/or --size');
  const change = {
    ...(flags.price !== undefined ? { price: parseOptPrice(flags.price, '--price') as Price } : {}),
    ...(flags.stop !== undefined ? { stopPrice: parseOptPrice(flags.stop, '--stop') as Price } : {}),
    ...(flags.size !== undefined ? { size: parseSizeArg(flags.size, '--size') } : {}),
  };
  const store = await ctx.store();
  const orderId = amendOrder(store, ctx.now, id, change);
  const o = findOrder(store, orderId);
  const tick = findInstrument(store, o.symbol).tickSize;
  if (ctx.json) ctx.print(renderJson(orderJson(o, tick)));
  else ctx.print(`${orderLine(ctx, store, o, tick)} (amended)`);
}

export async function cancelOrder(ctx: Context, id: string): Promise<void> {
  const store = await ctx.store();
  const found = findOrder(store, id);
  if (found.status !== 'pending' && found.status !== 'partial')
    throw new ConflictError(`order ${shortId(store, 'orders', found.id)} is ${found.status}; only working orders can be canceled`);
  withPaper(
    store,
    ctx.now,
    (s) => {
      const working = s.state.orders.find((o) => o.id === found.id) ?? orderFromRow(found);
      s.engine.cancelOrder(working);
    },
    { accountIds: [found.account_id] },
  );
  const o = findOrder(store, found.id);
  if (ctx.json) ctx.print(renderJson(orderJson(o, findInstrument(store, o.symbol).tickSize)));
  else
    ctx.print(
      `${shortId(store, 'orders', o.id)} canceled${o.filled_size > 0 ? ` (${formatQty(o.filled_size)} of ${formatQty(o.size)} had filled and stays)` : ''}`,
    );
}
