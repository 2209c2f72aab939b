/** A small in-memory engine for unit tests: one account, one instrument priced around 100. */
import { Engine } from '../../src/engine/engine.ts';
import { MemorySink } from '../../src/engine/memory-sink.ts';
import { emptyState, type EngineAccount } from '../../src/engine/state.ts';
import type { InstrumentSpec } from '../../src/core/instruments.ts';
import { parseMoney, parsePrice, parseQty, type Money, type Ppm } from '../../src/core/money.ts';
import type { Bar } from '../../src/core/fill.ts';

export const T0 = Date.UTC(2026, 0, 1, 6, 0);
export const MIN = 60_000;

export const TEST_SPEC: InstrumentSpec = {
  symbol: 'TEST',
  name: 'Test',
  type: 'crypto',
  baseCurrency: 'T',
  quoteCurrency: 'USD',
  tickSize: parsePrice('0.01'),
  contractSize: parseQty('1'),
  baseSpread: 0.001,
  fundingRate: 0.0001,
  slippageFactor: 0,
  minSize: parseQty('0.01'),
  maxSize: parseQty('1000'),
  isActive: true,
  isTradeable: true,
};

export function flat(mid: number, volume = 1000): Bar {
  return { open: mid, high: mid, low: mid, close: mid, volume };
}

export function makeEngine(
  opts: { balance?: string; maxLeverage?: number; maxDailyLoss?: string; spec?: Partial<InstrumentSpec>; price?: number } = {},
) {
  const state = emptyState(T0);
  const spec = { ...TEST_SPEC, ...opts.spec };
  state.instruments.set('I', {
    id: 'I',
    spec,
    params: {
      spread: spec.baseSpread,
      tick: spec.tickSize,
      slippageFactor: spec.slippageFactor,
      minSize: spec.minSize,
      maxParticipation: spec.maxParticipation ?? 0,
    },
    bar: flat(opts.price ?? 100),
    barTime: T0,
    holders: [],
    nextFundingAt: NaN,
  });
  const sink = new MemorySink();
  let n = 0;
  const engine = new Engine(state, sink, () => `id-${++n}`);
  const balance = parseMoney(opts.balance ?? '10000');
  const acct: EngineAccount = {
    id: 'A',
    balance: 0 as Money,
    maxLeverage: opts.maxLeverage ?? 10,
    makerFee: 200 as Ppm,
    takerFee: 500 as Ppm,
    maxDailyLoss: opts.maxDailyLoss ? parseMoney(opts.maxDailyLoss) : null,
    isActive: true,
    positions: new Map(),
    dayKey: 0,
    dayPnl: 0 as Money,
  };
  state.accounts.set('A', acct);
  sink.journal('A', 'deposit', balance, T0, { description: 'deposit' });
  acct.balance = balance;
  return { engine, sink, state, acct };
}
