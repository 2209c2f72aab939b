/** Shared formatting of orders, positions and money for the trading commands. */
import { decimalsOf, formatCash, formatFixed, formatPrice, formatQty, MONEY_DECIMALS, PRICE_DECIMALS, type Money } from '../../core/money.ts';
import type { OrderView } from '../../store/orders.ts';
import type { Style } from './style.ts';

export const shortId = (id: string): string => id.slice(0, 8);
export const priceText = (p: number | null, tick: number): string => (p === null ? '' : formatPrice(p, decimalsOf(tick, PRICE_DECIMALS)));
export const cash = (m: number, style?: Style, signed = false): string => {
  const text = `${signed && m > 0 ? '+' : ''}${formatCash(m as Money)}`;
  return style && signed ? style.signed(m, text) : text;
};

/** Stable JSON of an order row (prices and sizes as exact decimal strings). */
export function orderJson(o: OrderView, tick: number) {
  return {
    id: o.id, account: o.account_name, symbol: o.symbol, side: o.side, type: o.order_type, size: formatQty(o.size),
    price: o.price === null ? null : priceText(o.price, tick), stopPrice: o.stop_price === null ? null : priceText(o.stop_price, tick),
    status: o.status, filledSize: formatQty(o.filled_size), fillPrice: o.fill_price === null ? null : priceJson(o.fill_price),
    slippage: priceJson(o.slippage), commission: moneyJson(o.commission),
    leverage: o.leverage, marginRequired: moneyJson(o.margin_required),
    stopLoss: o.stop_loss === null ? null : priceText(o.stop_loss, tick), takeProfit: o.take_profit === null ? null : priceText(o.take_profit, tick),
    source: o.source, reason: o.reject_reason, rejectCode: o.reject_code, botId: o.bot_id, createdAt: o.created_at, filledAt: o.filled_at, canceledAt: o.canceled_at,
  };
}

/** Exact decimal money string for JSON: at least 2 places, up to the 6 of the scale ("-12.345678", "10000.00"). */
export const moneyJson = (m: number): string => formatFixed(m, MONEY_DECIMALS).replace(/(\.\d\d\d*?)0+$/, '$1');
/** Exact decimal price string for JSON, trailing zeros trimmed. */
export const priceJson = (p: number): string => formatFixed(p, PRICE_DECIMALS, { trim: true });
