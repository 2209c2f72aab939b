import { describe, expect, it } from 'vitest';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openSqliteStore as openStore } from '../../src/store/db.ts';
import { migrateDown, migrateUp, migrationStatus } from '../../src/store/migrator.ts';
import { MIGRATION_NAMES } from '../../migrations/names.ts';
import { tempDir } from '../helpers/cli.ts';
import { candleKey, tempStore } from '../helpers/store.ts';

function schemaOf(sqlite: BetterSqlite3.Database): Array<{ type: string; name: string; sql: string | null }> {
  return sqlite.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as never;
}

const SPEC_TABLES = [
  'users',
  'accounts',
  'instruments',
  'candles',
  'orders',
  'positions',
  'ledger_entries',
  'bots',
  'backtests',
  'bot_decisions',
];

describe('migrations', () => {
  it('create all ten tables of the spec with their fields and indexes', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const tables = schemaOf(store.sqlite)
        .filter((r) => r.type === 'table')
        .map((r) => r.name);
      for (const t of SPEC_TABLES) expect(tables).toContain(t);
      const cols = (t: string) => (store.sqlite.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
      expect(cols('candles')).toEqual(['id', 'instrument_id', 'timeframe', 'timestamp', 'open', 'high', 'low', 'close', 'volume']);
      expect(cols('users')).toEqual(
        expect.arrayContaining([
          'email',
          'hashed_password',
          'is_verified',
          'is_active',
          'is_admin',
          'twofa_secret',
          'twofa_enabled',
          'plan_id',
          'stripe_customer_id',
          'stripe_subscription_id',
          'kyc_status',
          'kyc_verified_at',
          'created_at',
          'updated_at',
          'last_login',
        ]),
      );
      expect(cols('orders')).toEqual(
        expect.arrayContaining([
          'order_type',
          'side',
          'size',
          'price',
          'stop_price',
          'status',
          'filled_size',
          'fill_price',
          'slippage',
          'commission',
          'leverage',
          'margin_required',
          'bot_id',
          'created_at',
          'filled_at',
          'canceled_at',
        ]),
      );
      expect(cols('ledger_entries')).toEqual(
        expect.arrayContaining([
          'journal_id',
          'entry_type',
          'amount',
          'balance_after',
          'currency',
          'order_id',
          'position_id',
          'description',
          'meta',
          'created_at',
        ]),
      );
      expect(cols('bot_decisions')).toEqual(
        expect.arrayContaining([
          'candle_timestamp',
          'indicators',
          'decision',
          'reason',
          'proposed_order',
          'order_id',
          'final_order',
          'risk_adjusted',
          'risk_adjustment_reason',
          'executed',
          'execution_result',
        ]),
      );
      const candleIndexes = (store.sqlite.prepare('PRAGMA index_list(candles)').all() as { name: string }[]).map((i) => i.name);
      expect(candleIndexes).toEqual(expect.arrayContaining(['ix_candles_timestamp', 'uq_candles_id']));
      // the spec's composite index is the table itself (migration 010: clustered on it)
      expect(candleKey(store.sqlite)).toEqual(['instrument_id', 'timeframe', 'timestamp']);
      const fks = store.sqlite.prepare('PRAGMA foreign_key_list(orders)').all() as { table: string }[];
      expect(fks.map((f) => f.table).sort()).toEqual(['accounts', 'bots', 'instruments']);
      expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      cleanup();
    }
  });

  it('roll back to zero and up again gives an identical schema', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const before = schemaOf(store.sqlite);
      expect((await migrationStatus(store)).applied).toEqual(MIGRATION_NAMES);
      const reverted = await migrateDown(store, { to: 0 });
      expect(reverted).toEqual([...MIGRATION_NAMES].reverse());
      expect(schemaOf(store.sqlite).map((r) => r.name)).toEqual(['schema_migrations']);
      expect(await migrateUp(store)).toEqual(MIGRATION_NAMES);
      expect(schemaOf(store.sqlite)).toEqual(before);
    } finally {
      cleanup();
    }
  });

  it('refuses a database whose schema is newer, leaving it untouched', async () => {
    const { store, path, cleanup } = await tempStore();
    try {
      store.sqlite.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run('999_from_the_future', 'x');
      store.close();
      const bytes = readFileSync(path);
      await expect(openStore(path)).rejects.toThrow(/newer than this tunicoin/);
      expect(readFileSync(path).equals(bytes)).toBe(true);
    } finally {
      cleanup();
    }
  });

  it('refuses a file that is not SQLite, leaving it untouched', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'notes.db');
      writeFileSync(path, 'these are my notes, not a database\n');
      await expect(openStore(path)).rejects.toThrow(/not a tunicoin database/);
      expect(readFileSync(path, 'utf8')).toBe('these are my notes, not a database\n');
    } finally {
      t.cleanup();
    }
  });
});
