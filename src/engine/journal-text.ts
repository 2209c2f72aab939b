/**
 * The descriptions of the engine's journals, formatted once per instrument instead of once per
 * posting (a backtest posts tens of thousands of fees and PnLs with the same few texts).
 */
import type { InstrumentSpec } from '../core/instruments.ts';
import { formatRatePercent } from '../core/money.ts';

interface Texts {
  readonly symbol: string;
  readonly fundingRate: number;
  readonly takerFee: string;
  readonly makerFee: string;
  readonly pnl: string;
  readonly funding: string;
}

const cache = new WeakMap<InstrumentSpec, Texts>();
/** The last spec asked about and its texts (a run asks about one instrument, fill after fill). */
let lastSpec: InstrumentSpec | null = null;
let lastTexts: Texts | undefined;

/** The journal texts of `spec` (rebuilt if its symbol or funding rate has changed). */
export function journalTexts(spec: InstrumentSpec): Texts {
  const t = spec === lastSpec ? lastTexts : cache.get(spec);
  if (t !== undefined && t.symbol === spec.symbol && t.fundingRate === spec.fundingRate) {
    lastSpec = spec;
    lastTexts = t;
    return t;
  }
  const s = spec.symbol;
  const fresh: Texts = {
    symbol: s,
    fundingRate: spec.fundingRate,
    takerFee: `${s} taker fee`,
    makerFee: `${s} maker fee`,
    pnl: `${s} realised PnL`,
    funding: `${s} funding ${formatRatePercent(spec.fundingRate)} of the notional`,
  };
  cache.set(spec, fresh);
  lastSpec = spec;
  lastTexts = fresh;
  return fresh;
}
