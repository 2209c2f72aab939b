/**
 * `tunicoin seed`: the demo user and account, the house accounts, the five instruments and
 * their synthetic 1m history, in ONE write transaction: an interrupted seed leaves nothing.
 *
 * Speed: the secondary candle indexes are dropped before the bulk insert and rebuilt after it
 * (sorting once beats maintaining three B-trees row by row); ids are UUIDv7 so the primary-key
 * index is appended to in order.
 */
import type { SeedInstrument } from '../core/instruments.ts';
import { HOUSE_FOR, traderVsHouse } from '../core/ledger.ts';
import { parseMoney, priceFromFloat } from '../core/money.ts';
import { MINUTE_MS, toIso } from '../core/time.ts';
import { generateCandles } from '../market/generator.ts';
import { DEMO_EMAIL, ensureHouseAccounts, markAccountAtBalance } from './accounts.ts';
import { insertCandles } from './candles.ts';
import { storePacks } from './candle-packs.ts';
import type { Store } from './db.ts';
import type { Database } from './schema.ts';
import { newId } from './ids.ts';
import { insertInstrument } from './instruments.ts';
import { houseAccountId, postJournal } from './ledger.ts';
import { getSetting, setSetting } from './settings.ts';

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

export function isSeeded(store: Store): boolean {
  return getSetting(store, 'seeded_at') !== undefined;
}

/** Every table's rows, children first. */
const WIPE_ORDER: ReadonlyArray<keyof Database> = [
  'bot_decisions',
  'ledger_entries',
  'positions',
  'orders',
  'backtests',
  'bots',
  'candles',
  'instruments',
  'accounts',
  'users',
  'settings',
];

export function wipeAll(store: Store): void {
  for (const table of WIPE_ORDER) store.run(store.db.deleteFrom(table));
}

export function seedDatabase(store: Store, opts: SeedOptions): SeedSummary {
  const count = opts.days * 1440;
  const start = opts.end - (count - 1) * MINUTE_MS;
  const clockIso = toIso(opts.end);
  const total = count * opts.instruments.length;
  return store.tx(() => {
    if (opts.reset) wipeAll(store);
    ensureHouseAccounts(store, opts.nowIso);

    const userId = newId();
    store.run(
      store.db.insertInto('users').values({
        id: userId,
        email: DEMO_EMAIL,
        hashed_password: opts.demoPasswordHash,
        is_verified: 1,
        is_active: 1,
        is_admin: 0,
        plan_id: 'free',
        kyc_status: 'approved',
        kyc_verified_at: opts.nowIso,
        created_at: opts.nowIso,
        updated_at: opts.nowIso,
      }),
    );
    const accountId = newId();
    store.run(
      store.db.insertInto('accounts').values({
        id: accountId,
        user_id: userId,
        name: DEMO_ACCOUNT_NAME,
        kind: 'trader',
        is_demo: 1,
        max_leverage: 10,
        created_at: opts.nowIso,
        updated_at: opts.nowIso,
      }),
    );
    const deposit = parseMoney(DEMO_BALANCE);
    postJournal(store, {
      type: 'deposit',
      createdAt: clockIso,
      postings: traderVsHouse(accountId, houseAccountId(store, HOUSE_FOR.deposit), deposit, { description: 'Initial demo deposit' }),
    });
    markAccountAtBalance(store, accountId);

    // SQLite-specific bulk load (schema DDL, not a repository query). Indexes and the packed
    // store's triggers (migration 012) go during the bulk insert and come
    // back after it, in this transaction: the new instruments have no packs to invalidate, and
    // storePacks writes theirs below.
    const indexes = store.sqlite
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'candles' AND sql IS NOT NULL")
      .all() as { type: 'index' | 'trigger'; name: string; sql: string }[];
    for (const ix of indexes) store.sqlite.exec(`DROP ${ix.type === 'index' ? 'INDEX' : 'TRIGGER'} ${ix.name}`);
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
      for (let i = 0; i < count; i += 20_000) {
        const n = Math.min(20_000, count - i);
        insertCandles(store, instrumentId, '1m', c, i, n, newId);
        done += n;
        if (opts.onProgress && done < total) opts.onProgress(done, total);
      }
      storePacks(store, instrumentId, '1m', c);
    }
    for (const ix of indexes) store.sqlite.exec(ix.sql);
    opts.onProgress?.(total, total);

    setSetting(store, 'clock', String(opts.end));
    setSetting(store, 'market_seed', String(opts.seed));
    setSetting(store, 'seed_days', String(opts.days));
    setSetting(store, 'default_account', accountId);
    setSetting(store, 'seeded_at', opts.nowIso);
    const ledgerEntries = store.get(store.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
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
  });
}
