/** Shared formatting of orders, positions and money for the trading commands. */
import { decimalsOf, formatCash, formatFixed, formatPrice, formatQty, MONEY_DECIMALS, PRICE_DECIMALS } from '../../core/money.ts';
import type { OrderView } from '../../store/orders.ts';
import { group } from '../../core/number-text.ts';
import type { Store } from '../../store/db.ts';
import { shortIdsIn, type IdTable } from '../../store/ids.ts';
import type { Style } from './style.ts';

/**
 * An id as shown: its shortest prefix (at least 8 characters) unique in its whole table, so that
 * it resolves back to it (core/ids.ts); ids are time-ordered, so 8 characters alone are not.
 */
export const shortId = (store: Store, table: IdTable, id: string): string => shortIdsIn(store, table, [id]).get(id) ?? id;
/** shortId for every id of a table listing, looked up once. */
export function shortIds(store: Store, table: IdTable, ids: Iterable<string>): (id: string) => string {
  const m = shortIdsIn(store, table, ids);
  return (id) => m.get(id) ?? id;
}
/** A price at the tick's decimals for humans, grouped ("43,210.50"); '' for none. */
export const priceText = (p: number | null, tick: number): string =>
  p === null ? '' : group(formatPrice(p, decimalsOf(tick, PRICE_DECIMALS)));
/** Ungrouped, for the live screen (`watch`), where every column counts: "43210.50"; '' for none. */
export const priceTight = (p: number | null, tick: number): string => (p === null ? '' : formatPrice(p, decimalsOf(tick, PRICE_DECIMALS)));
/** The same for --json: a plain decimal string at the tick's decimals ("43210.50"). */
export const priceDecimal = (p: number, tick: number): string => formatPrice(p, decimalsOf(tick, PRICE_DECIMALS));
export const cash = (m: number, style?: Style, signed = false): string => {
  const text = `${signed && m > 0 ? '+' : ''}${formatCash(m)}`;
  return style && signed ? style.signed(m, text) : text;
};

/** Stable JSON of an order row (prices and sizes as exact decimal strings). */
export function orderJson(o: OrderView, tick: number) {
  return {
    id: o.id,
    account: o.account_name,
    symbol: o.symbol,
    side: o.side,
    type: o.order_type,
    size: formatQty(o.size),
    price: o.price === null ? null : priceDecimal(o.price, tick),
    stopPrice: o.stop_price === null ? null : priceDecimal(o.stop_price, tick),
    status: o.status,
    filledSize: formatQty(o.filled_size),
    fillPrice: o.fill_price === null ? null : priceJson(o.fill_price),
    slippage: priceJson(o.slippage),
    commission: moneyJson(o.commission),
    leverage: o.leverage,
    marginRequired: moneyJson(o.margin_required),
    stopLoss: o.stop_loss === null ? null : priceDecimal(o.stop_loss, tick),
    takeProfit: o.take_profit === null ? null : priceDecimal(o.take_profit, tick),
    source: o.source,
    reason: o.reject_reason,
    rejectCode: o.reject_code,
    botId: o.bot_id,
    createdAt: o.created_at,
    filledAt: o.filled_at,
    canceledAt: o.canceled_at,
  };
}

/** Exact decimal money string for JSON: at least 2 places, up to the 6 of the scale ("-12.345678", "10000.00"). */
export const moneyJson = (m: number): string => formatFixed(m, MONEY_DECIMALS).replace(/(\.\d\d\d*?)0+$/, '$1');
/** Exact decimal price string for JSON, trailing zeros trimmed. */
export const priceJson = (p: number): string => formatFixed(p, PRICE_DECIMALS, { trim: true });
