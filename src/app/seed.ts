/**
 * `tunicoin seed`: the demo user and account, the house accounts, the five instruments and
 * their synthetic 1m history, in ONE write transaction: an interrupted seed leaves nothing.
 *
 * Speed: the secondary candle indexes are dropped before the bulk insert and rebuilt after it
 * (sorting once beats maintaining three B-trees row by row); ids are UUIDv7 so the primary-key
 * index is appended to in order. A use case: the candles are generated here (market/generator.ts);
 * the rows are written by the store (store/seed-rows.ts, store/synthetic-candles.ts).
 */
import type { SeedInstrument } from '../core/instruments.ts';
import { HOUSE_FOR, traderVsHouse } from '../core/ledger.ts';
import { parseMoney, priceFromFloat } from '../core/money.ts';
import { MINUTE_MS, toIso } from '../core/time.ts';
import { generateCandles } from '../market/generator.ts';
import { DEMO_EMAIL, ensureHouseAccounts, markAccountAtBalance } from '../store/accounts.ts';
import type { Store } from '../store/db.ts';
import { newId } from '../store/ids.ts';
import { insertInstrument } from '../store/instruments.ts';
import { houseAccountId, postJournal } from '../store/ledger.ts';
import {
  countLedgerEntries,
  dropCandleIndexes,
  insertDemoAccount,
  insertDemoUser,
  wipeAll,
  withTempStoreOnDisk,
} from '../store/seed-rows.ts';
import { setSetting } from '../store/settings.ts';
import { insertCandleColumns } from '../store/synthetic-candles.ts';
import { settleCandles } from '../store/candles.ts';

export const DEMO_ACCOUNT_NAME = 'Demo Account';
export const DEMO_BALANCE = '10000';

export interface SeedOptions {
  readonly seed: number;
  readonly days: number;
  /** Timestamp (epoch ms, minute-aligned) of the last candle; the clock is set here. */
  readonly end: number;
  readonly instruments: readonly SeedInstrument[];
  readonly reset: boolean;
  /** Wall-clock time for created_at of users and accounts. */
  readonly nowIso: string;
  /** bcrypt hash of the demo password (hashing is the caller's: it is slow and not storage). */
  readonly demoPasswordHash: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  readonly users: number;
  readonly accounts: number;
  readonly instruments: number;
  readonly candles: number;
  readonly candlesPerInstrument: number;
  readonly ledgerEntries: number;
  readonly from: string;
  readonly to: string;
  readonly clock: string;
  readonly seed: number;
}

export function seedDatabase(store: Store, opts: SeedOptions): SeedSummary {
  const count = opts.days * 1440;
  const start = opts.end - (count - 1) * MINUTE_MS;
  const clockIso = toIso(opts.end);
  const total = count * opts.instruments.length;
  // the index rebuild sorts through the temporary store: on disk, so a year's seed stays bounded
  const summary = withTempStoreOnDisk(store, () =>
    store.tx(() => {
      if (opts.reset) wipeAll(store);
      ensureHouseAccounts(store, opts.nowIso);

      const userId = newId();
      insertDemoUser(store, { id: userId, email: DEMO_EMAIL, hashedPassword: opts.demoPasswordHash, nowIso: opts.nowIso });
      const accountId = newId();
      insertDemoAccount(store, { id: accountId, userId, name: DEMO_ACCOUNT_NAME, nowIso: opts.nowIso });
      const deposit = parseMoney(DEMO_BALANCE);
      postJournal(store, {
        type: 'deposit',
        createdAt: clockIso,
        postings: traderVsHouse(accountId, houseAccountId(store, HOUSE_FOR.deposit), deposit, { description: 'Initial demo deposit' }),
      });
      markAccountAtBalance(store, accountId);

      const restoreIndexes = dropCandleIndexes(store);
      let done = 0;
      for (const spec of opts.instruments) {
        const instrumentId = insertInstrument(store, spec, opts.nowIso, 'synthetic');
        const c = generateCandles({
          seed: opts.seed,
          symbol: spec.symbol,
          stream: 0,
          startPrice: priceFromFloat(spec.synthetic.basePrice),
          tickSize: spec.tickSize,
          dailyVol: spec.synthetic.dailyVol,
          meanVolume: spec.synthetic.meanVolume,
          startTime: start,
          count,
        });
        const onProgress = opts.onProgress;
        insertCandleColumns(
          store,
          instrumentId,
          '1m',
          c,
          onProgress &&
            ((rows) => {
              done += rows;
              if (done < total) onProgress(done, total);
            }),
        );
      }
      restoreIndexes();
      opts.onProgress?.(total, total);

      setSetting(store, 'clock', String(opts.end));
      setSetting(store, 'market_seed', String(opts.seed));
      setSetting(store, 'seed_days', String(opts.days));
      setSetting(store, 'default_account', accountId);
      setSetting(store, 'seeded_at', opts.nowIso);
      const ledgerEntries = countLedgerEntries(store);
      return {
        users: 1,
        accounts: 1,
        instruments: opts.instruments.length,
        candles: total,
        candlesPerInstrument: count,
        ledgerEntries,
        from: toIso(start),
        to: clockIso,
        clock: clockIso,
        seed: opts.seed,
      };
    }),
  );
  settleCandles(store); // PostgreSQL: VACUUM, for index-only reads of the new series
  return summary;
}
