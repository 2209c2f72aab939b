// A built-in strategy's reason() is the text of explain().reason, after every candle and in
// every state (the runner takes the text from reason(), once per order); and saveReason's
// numbers give the same text through reasonAt long after (a backtest formats its reasons at the end).
import { describe, expect, it } from 'vitest';
import { BUILTIN_STRATEGIES } from '../../src/core/strategy/builtin.ts';
import { resolveParams } from '../../src/core/strategy/params.ts';
import { REASON_WIDTH, type PositionSide } from '../../src/core/strategy/types.ts';

describe('built-in reason()', () => {
  for (const s of BUILTIN_STRATEGIES) {
    for (const mode of s.params.some((p) => p.name === 'mode') ? ['long', 'long_short'] : [null]) {
      it(`${s.id}${mode ? ` (${mode})` : ''}: reason() is explain().reason after each candle`, () => {
        const inst = s.create(resolveParams(s, mode ? { mode } : {}));
        expect(typeof inst.reason).toBe('function');
        let price = 50_000;
        let position: PositionSide = 0;
        let seed = 7;
        const ctx = {
          position: { side: 0 as PositionSide, size: 0, entryPrice: null, unrealizedPnl: 0 },
          equity: 1e4,
          availableMargin: 1e4,
          warmingUp: false,
        };
        const seen = new Set<string>();
        const saved = new Float64Array(3000 * REASON_WIDTH);
        const texts: string[] = [];
        for (let i = 0; i < 3000; i++) {
          seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
          price *= 1 + (seed / 2 ** 31 - 0.5) * 0.01;
          const c = { time: i * 60_000, open: price, high: price * 1.001, low: price * 0.999, close: price, volume: 1 };
          const d = inst.onCandle(c, position, ctx);
          if (d === 'buy') position = 1;
          else if (d === 'sell') position = -1;
          else if (d === 'close') position = 0;
          const r = inst.reason!();
          expect(r).toBe(inst.explain().reason);
          seen.add(r.split(' ')[0] ?? '');
          saved.fill(-1, i * REASON_WIDTH, (i + 1) * REASON_WIDTH); // slots a strategy leaves are not read
          inst.saveReason!(saved, i * REASON_WIDTH);
          texts.push(r);
        }
        expect(seen.size).toBeGreaterThan(1); // more than the warm-up's text was compared
        texts.forEach((t, i) => expect(inst.reasonAt!(saved, i * REASON_WIDTH)).toBe(t));
      });
    }
  }
});
