/**
 * The two running bots the concurrency tests race (test/e2e/strategy-runner-cli.test.ts with real
 * processes, test/integration/concurrent-advance.test.ts slice by slice): an hourly EMA crossover
 * long/short at 50% and a 15m RSI reversion at 0.01, both on BTC-USD.
 */
import { expect } from 'vitest';
import { runCli } from './cli.ts';

export async function startRacingBots(db: string): Promise<void> {
  const lines = [
    [
      'bot',
      'create',
      'x',
      '--strategy',
      'ema_crossover',
      '--symbol',
      'BTC-USD',
      '--param',
      'fast=3',
      '--param',
      'slow=8',
      '--param',
      'mode=long_short',
      '--size',
      '50%',
    ],
    [
      'bot',
      'create',
      'y',
      '--strategy',
      'rsi_reversion',
      '--symbol',
      'BTC-USD',
      '--timeframe',
      '15m',
      '--param',
      'period=6',
      '--size',
      '0.01',
    ],
    ['bot', 'start', 'x'],
    ['bot', 'start', 'y'],
  ];
  for (const args of lines) {
    const r = await runCli(args, { db });
    expect(r.code, r.stderr).toBe(0);
  }
}
