/**
 * Instrument definitions and the five instruments of the original platform spec.
 *
 * Scales: tick size, base price are Price units; contract size and min/max size are Qty units
 * (see money.ts). Spread, funding rate and slippage factor are plain fractions (0.001 = 0.1%).
 *
 * Sizes are counted in contracts: notional = size x price x contract size. `minSize` is also
 * the lot step: a size must be a whole multiple of it.
 *
 * Choices for the seeded instruments (documented in README):
 * - BTC-USD / ETH-USD: spot-style crypto margin, 1 coin per contract, tick $0.01, funding 0.01%
 *   per 8 h (the usual perpetual-swap base rate).
 * - BTC-FUT: perpetual-style bitcoin future, 1 BTC per contract, tick $0.50 (the CME tick of $5
 *   on a 5 BTC contract, per BTC = $1 / 2), funding 0.01% per 8 h.
 * - SPX-FUT: the micro E-mini S&P 500 ($5 x index), tick 0.25 index points, whole contracts,
 *   a financing charge of 0.004% per 8 h (~4.4% a year).
 * - EURUSD: standard lots of 100,000 EUR, tick 0.00001 (a tenth of a pip), min 0.01 lot; no
 *   funding (overnight swap is not modelled).
 * Synthetic daily volatility per class: the spec's 1.5% for the crypto instruments (BTC-USD,
 * ETH-USD, BTC-FUT); 1.0% for the S&P 500 future (~16% a year, the index's long-run figure);
 * 0.5% for EURUSD (~8% a year, typical of a major currency pair).
 */
import { priceFromFloat, parseQty, type Price, type Qty } from './money.ts';

export type InstrumentType = 'stock' | 'crypto' | 'forex' | 'futures' | 'cfd';
export const INSTRUMENT_TYPES: readonly InstrumentType[] = ['stock', 'crypto', 'forex', 'futures', 'cfd'];

export interface InstrumentSpec {
  readonly symbol: string;
  readonly name: string;
  readonly type: InstrumentType;
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  readonly tickSize: Price;
  readonly contractSize: Qty;
  readonly baseSpread: number;
  readonly fundingRate: number;
  readonly slippageFactor: number;
  readonly minSize: Qty;
  readonly maxSize: Qty;
  readonly isActive: boolean;
  readonly isTradeable: boolean;
  /** Largest share of a 1m candle's volume one fill may take (0 or absent: no cap; see fill.ts). */
  readonly maxParticipation?: number;
}

/** Seeding parameters that belong to the synthetic market, not to the instrument. */
export interface SyntheticProfile {
  readonly basePrice: number;
  /** Daily volatility of log returns (the spec's "1.5% volatility"). */
  readonly dailyVol: number;
  /** Mean traded volume per 1m candle, in contracts. */
  readonly meanVolume: number;
}

export interface SeedInstrument extends InstrumentSpec {
  readonly synthetic: SyntheticProfile;
}

const q = parseQty;
const p = (x: number): Price => priceFromFloat(x);

export const SEED_INSTRUMENTS: readonly SeedInstrument[] = [
  {
    symbol: 'BTC-USD',
    name: 'Bitcoin / US Dollar',
    type: 'crypto',
    baseCurrency: 'BTC',
    quoteCurrency: 'USD',
    tickSize: p(0.01),
    contractSize: q('1'),
    baseSpread: 0.001,
    fundingRate: 0.0001,
    slippageFactor: 0.05,
    minSize: q('0.0001'),
    maxSize: q('100'),
    isActive: true,
    isTradeable: true,
    synthetic: { basePrice: 50_000, dailyVol: 0.015, meanVolume: 12 },
  },
  {
    symbol: 'ETH-USD',
    name: 'Ethereum / US Dollar',
    type: 'crypto',
    baseCurrency: 'ETH',
    quoteCurrency: 'USD',
    tickSize: p(0.01),
    contractSize: q('1'),
    baseSpread: 0.001,
    fundingRate: 0.0001,
    slippageFactor: 0.05,
    minSize: q('0.001'),
    maxSize: q('2000'),
    isActive: true,
    isTradeable: true,
    synthetic: { basePrice: 3_000, dailyVol: 0.015, meanVolume: 150 },
  },
  {
    symbol: 'BTC-FUT',
    name: 'Bitcoin Futures',
    type: 'futures',
    baseCurrency: 'BTC',
    quoteCurrency: 'USD',
    tickSize: p(0.5),
    contractSize: q('1'),
    baseSpread: 0.0015,
    fundingRate: 0.0001,
    slippageFactor: 0.05,
    minSize: q('0.001'),
    maxSize: q('50'),
    isActive: true,
    isTradeable: true,
    synthetic: { basePrice: 50_500, dailyVol: 0.015, meanVolume: 6 },
  },
  {
    symbol: 'SPX-FUT',
    name: 'S&P 500 Futures',
    type: 'futures',
    baseCurrency: 'SPX',
    quoteCurrency: 'USD',
    tickSize: p(0.25),
    contractSize: q('5'),
    baseSpread: 0.0005,
    fundingRate: 0.00004,
    slippageFactor: 0.02,
    minSize: q('1'),
    maxSize: q('200'),
    isActive: true,
    isTradeable: true,
    synthetic: { basePrice: 4_500, dailyVol: 0.01, meanVolume: 250 },
  },
  {
    symbol: 'EURUSD',
    name: 'Euro / US Dollar',
    type: 'forex',
    baseCurrency: 'EUR',
    quoteCurrency: 'USD',
    tickSize: p(0.00001),
    contractSize: q('100000'),
    baseSpread: 0.00002,
    fundingRate: 0,
    slippageFactor: 0.01,
    minSize: q('0.01'),
    maxSize: q('50'),
    isActive: true,
    isTradeable: true,
    synthetic: { basePrice: 1.1, dailyVol: 0.005, meanVolume: 60 },
  },
];

/** Symbols are upper-case letters, digits, '-', '_', '/', '.'; 1-20 characters. */
export function isValidSymbol(symbol: string): boolean {
  return /^[A-Z0-9][A-Z0-9._/-]{0,19}$/.test(symbol);
}
