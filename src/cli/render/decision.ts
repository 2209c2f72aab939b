/**
 * The JSON stored with a bot decision (its proposed and final order, the execution result) as
 * `--json` gives it: camelCase keys, sizes and prices as decimal strings (the stored order holds
 * scaled integers, the result holds floats in the quote currency).
 */
import { formatQty } from '../../core/money.ts';
import { priceJson } from './trading.ts';

const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const SCALED_PRICES = new Set(['price', 'stopPrice', 'stopLoss', 'takeProfit']);
const DECIMALS = new Set(['fillPrice', 'size', 'requestedSize', 'commission', 'slippage', 'price']);

/** A proposed or final order: `size` and prices are scaled integers in the stored JSON. */
export function orderIntentJson(stored: string | null): Record<string, unknown> | null {
  if (!stored) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(JSON.parse(stored) as Record<string, unknown>)) {
    const key = camel(k);
    out[key] = typeof v !== 'number' ? v : key === 'size' ? formatQty(v) : SCALED_PRICES.has(key) ? priceJson(v) : v;
  }
  return out;
}

/** An execution result: figures are floats in the stored JSON, decimal strings here. */
export function executionJson(stored: string | null): Record<string, unknown> | null {
  if (!stored) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(JSON.parse(stored) as Record<string, unknown>)) {
    const key = camel(k);
    out[key] = typeof v === 'number' && DECIMALS.has(key) ? String(v) : v;
  }
  return out;
}
