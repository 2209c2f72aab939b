/**
 * The packed candle store's buckets as the migrations that made it define them (012, 013 and
 * pg/003): 1440 candle periods per bucket, and the timeframes' lengths. Frozen on purpose,
 * restated from src/core/time.ts rather than imported: a migration must not change with the code.
 */
export const PERIODS = 1440;
const MINUTE = 60_000;
export const TF_MS: Readonly<Record<string, number>> = {
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '1d': 1440 * MINUTE,
  '1w': 7 * 1440 * MINUTE,
};
