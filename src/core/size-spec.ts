/**
 * A position sizing as `--size` and the stored `size_spec` write it: a fixed size in contracts
 * (0.5), a fraction of equity used as margin (7%), or all available margin ("all"). How the
 * engine turns it into an order's size is in engine/executor.ts. Pure.
 */
import { UsageError } from './errors.ts';
import { formatQty, formatRatePercent, parsePercent, parseQty, PERCENT_DECIMALS, PPM_SCALE, ppmToRate, type Qty } from './money.ts';

export type SizeSpec =
  { readonly kind: 'fixed'; readonly size: Qty } | { readonly kind: 'fraction'; readonly fraction: number } | { readonly kind: 'all' };

export function parseSizeSpec(text: string | undefined): SizeSpec {
  const t = (text ?? 'all').trim().toLowerCase();
  if (t === 'all') return { kind: 'all' };
  if (/^(\d+(?:\.\d+)?)%$/.test(t)) {
    // parsed exactly (7% is 70,000 ppm), so that it is stored and shown as typed
    if (!/^\d+(\.\d{0,4})?%$/.test(t)) throw new UsageError(`--size ${text}: at most ${PERCENT_DECIMALS} decimals of a percent`);
    const ppm = parsePercent(t);
    if (!(ppm > 0 && ppm <= PPM_SCALE)) throw new UsageError(`--size ${text}: the percentage must be above 0 and at most 100`);
    return { kind: 'fraction', fraction: ppmToRate(ppm) };
  }
  if (!/^(\d+\.?\d*|\.\d+)$/.test(t))
    throw new UsageError(`--size must be a size (0.5), a percentage of equity (50%) or "all", got "${text}"`);
  const size = parseQty(t);
  if (size <= 0) throw new UsageError('--size must be positive');
  return { kind: 'fixed', size };
}

/** The text of a sizing, as `parseSizeSpec` reads it back: "all", "7%", "0.5". */
export const formatSizeSpec = (s: SizeSpec): string =>
  s.kind === 'all' ? 'all' : s.kind === 'fraction' ? formatRatePercent(s.fraction) : formatQty(s.size);
