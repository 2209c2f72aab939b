/**
 * app/trade-text.ts writes the trade log's rows straight from the trades: the same bytes as the
 * row objects of tradeRow through csvField / JSON.stringify (the CSV file, --json, .json logs).
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRADE_COLUMNS, tradeRow } from '../../src/app/backtest.ts';
import { writeTradeLog } from '../../src/app/trade-log.ts';
import { tradeText } from '../../src/app/trade-text.ts';
import { csvField } from '../../src/core/csv.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { emitJsonArray, emitJsonRows } from '../../src/core/json-text.ts';
import { parseMoney, parseQty, type Ppm } from '../../src/core/money.ts';
import { emaCrossover } from '../../src/core/strategy/builtin.ts';
import { resolveParams } from '../../src/core/strategy/params.ts';
import type { BacktestTrade } from '../../src/engine/backtest-sink.ts';
import { runBacktest } from '../../src/engine/backtest.ts';
import { generateCandles } from '../../src/market/generator.ts';

const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');

const amount = fc.oneof(
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.maxSafeInteger(),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -0, 1, -1, 99, 100, 5_010_287_000_000),
);
const reason = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', 'EMA12 50005.71 crossed above EMA26 50005.67', 'a, "b"\nc', '\u0000\u001b[2J\u009b', 'ünïcödé ✓'),
);
const trade: fc.Arbitrary<BacktestTrade> = fc.record({
  side: fc.constantFrom('long' as const, 'short' as const),
  entryTime: fc.oneof(fc.integer({ min: 0, max: 4e12 }), fc.constantFrom(-1, 1.5, 8.64e15)),
  entryPrice: amount,
  exitTime: fc.integer({ min: 0, max: 4e12 }),
  exitPrice: amount,
  size: amount,
  pnl: amount,
  grossPnl: amount,
  fees: amount,
  funding: amount,
  margin: amount,
  entryReason: reason,
  exitReason: reason,
});

describe('tradeText', () => {
  it('gives the CSV line and the JSON object of tradeRow, for any trade', () => {
    fc.assert(
      fc.property(fc.array(trade, { minLength: 1, maxLength: 5 }), fc.constantFrom('', '  ', '    '), (trades, pad) => {
        const text = tradeText(trades);
        trades.forEach((t, k) => {
          const row = tradeRow(t, k);
          expect(text.csv(k)).toBe(TRADE_COLUMNS.map((c) => csvField(row[c])).join(','));
          expect(text.json(k, pad)).toBe(indent(JSON.stringify(row, null, 2), pad));
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('writes the same trade log files as the rows, CSV and JSON, for a real run', () => {
    const spec = SEED_INSTRUMENTS[0]!;
    const c = generateCandles({
      seed: 7,
      symbol: spec.symbol,
      stream: 0,
      startPrice: (spec.tickSize * 5_000_000) as never,
      tickSize: spec.tickSize,
      dailyVol: 0.015,
      meanVolume: 12,
      startTime: Date.UTC(2025, 0, 1),
      count: 20_000,
    });
    const o = runBacktest({
      candles: c,
      instrumentId: 'I',
      spec,
      timeframe: '1m',
      strategy: emaCrossover.create(resolveParams(emaCrossover, { mode: 'long_short' })),
      capital: parseMoney('100000'),
      leverage: 1,
      maxLeverage: 1,
      makerFee: 200 as Ppm,
      takerFee: 500 as Ppm,
      sizing: { kind: 'fixed', size: parseQty('0.1') },
    });
    const trades = o.sink.trades;
    expect(trades.length).toBeGreaterThan(100);
    const dir = mkdtempSync(join(tmpdir(), 'tunicoin-trade-text-'));
    try {
      for (const ext of ['csv', 'json']) {
        const rows = join(dir, `rows.${ext}`);
        const text = join(dir, `text.${ext}`);
        writeTradeLog(rows, trades.length, (k) => tradeRow(trades[k]!, k), TRADE_COLUMNS);
        writeTradeLog(text, trades.length, (k) => tradeRow(trades[k]!, k), TRADE_COLUMNS, tradeText(trades));
        expect(readFileSync(text, 'utf8')).toBe(readFileSync(rows, 'utf8'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('emitJsonRows', () => {
  it('gives the text of emitJsonArray', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ a: fc.integer(), b: fc.string() }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        (rows, depth, chunk) => {
          let want = '';
          emitJsonArray(
            rows.length,
            (k) => rows[k],
            depth,
            (s) => (want += s),
            chunk,
          );
          let got = '';
          emitJsonRows(
            rows.length,
            (k, pad) => indent(JSON.stringify(rows[k], null, 2), pad),
            depth,
            (s) => (got += s),
            chunk,
          );
          expect(got).toBe(want);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
