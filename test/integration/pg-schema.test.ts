/**
 * The PostgreSQL schema (migrations/pg) against the SQLite one (migrations/*): every SQLite table
 * (the packed `candle_packs` too, migrations/pg/003) exists on PostgreSQL with the same columns, NOT NULL flags,
 * defaults, mapped types, keys, CHECK counts, indexes and foreign keys, plus the `rowid` insertion-order column; and the
 * migrations go up, down and up again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PG_MIGRATIONS, PG_MIGRATION_NAMES } from '../../migrations/pg/index.ts';
import { freshPgDatabase } from '../helpers/pg.ts';
import { tempStore } from '../helpers/store.ts';

/** SQLite-only: the migrator's own table. */
const NOT_ON_PG = ['schema_migrations'];
const PG_TYPE: Record<string, string> = { INTEGER: 'bigint', REAL: 'double precision', TEXT: 'text', BLOB: 'bytea' };

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
}
interface SqliteSchema {
  tables: Map<string, Column[]>;
  indexes: string[];
  foreignKeys: string[];
  /** Table -> number of CHECK constraints in its CREATE TABLE. */
  checks: Map<string, number>;
  /** `table pk|unique (columns)` for every primary key and UNIQUE constraint. */
  keys: string[];
}

/** The migrated SQLite schema: columns (a primary key column counts as NOT NULL), keys, checks, named indexes, foreign keys. */
async function sqliteSchema(): Promise<SqliteSchema> {
  const { store, cleanup } = await tempStore();
  try {
    const s = store.sqlite;
    const names = (
      s.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
        name: string;
      }[]
    )
      .map((r) => r.name)
      .filter((n) => !NOT_ON_PG.includes(n));
    const tables = new Map<string, Column[]>();
    const foreignKeys: string[] = [];
    const checks = new Map<string, number>();
    const keys: string[] = [];
    for (const t of names) {
      const cols = s.prepare(`PRAGMA table_info("${t}")`).all() as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
        dflt_value: string | null;
      }[];
      tables.set(
        t,
        cols.map((c) => ({ name: c.name, type: c.type.toUpperCase(), notNull: c.notnull === 1 || c.pk > 0, default: c.dflt_value })),
      );
      const create = (s.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(t) as { sql: string }).sql;
      const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      if (pk.length) keys.push(`${t} pk (${pk.map((c) => c.name).join(', ')})`);
      for (const ix of s.prepare(`PRAGMA index_list("${t}")`).all() as { name: string; origin: string }[]) {
        if (ix.origin !== 'u') continue;
        const on = (s.prepare(`PRAGMA index_info("${ix.name}")`).all() as { seqno: number; name: string }[]).sort(
          (a, b) => a.seqno - b.seqno,
        );
        keys.push(`${t} unique (${on.map((c) => c.name).join(', ')})`);
      }
      checks.set(t, create.match(/\bcheck \(/gi)?.length ?? 0);
      const fks = s.prepare(`PRAGMA foreign_key_list("${t}")`).all() as { table: string; from: string; to: string; on_delete: string }[];
      foreignKeys.push(...fks.map((f) => `${t}.${f.from} -> ${f.table}.${f.to} on delete ${f.on_delete.toLowerCase()}`));
    }
    const indexes = (
      s.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as {
        name: string;
        tbl_name: string;
      }[]
    )
      .filter((r) => !NOT_ON_PG.includes(r.tbl_name))
      .map((r) => r.name);
    return { tables, indexes: indexes.sort(), foreignKeys: foreignKeys.sort(), checks, keys: keys.sort() };
  } finally {
    store.sqlite.close();
    cleanup();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function pgTables(db: Kysely<any>): Promise<string[]> {
  const r = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' ORDER BY table_name`.execute(db);
  return r.rows.map((t) => t.table_name);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function up(db: Kysely<any>): Promise<void> {
  for (const m of PG_MIGRATIONS) await db.transaction().execute((tx) => m.module.up(tx));
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function down(db: Kysely<any>): Promise<void> {
  for (const m of [...PG_MIGRATIONS].reverse()) await db.transaction().execute((tx) => m.module.down(tx));
}

describe('PostgreSQL schema (migrations/pg)', () => {
  let database: Awaited<ReturnType<typeof freshPgDatabase>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let db: Kysely<any>;
  let expected: SqliteSchema;

  beforeAll(async () => {
    expected = await sqliteSchema();
    database = await freshPgDatabase('pgschema');
    db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('names its migrations in order', () => {
    expect(PG_MIGRATION_NAMES).toEqual(['001_schema', '002_candles_covering_key', '003_candle_packs', '004_bot_decisions_unsettled']);
  });

  it('makes every SQLite table with the same columns, NOT NULL flags and mapped types, plus rowid', async () => {
    await up(db);
    expect(await pgTables(db)).toEqual([...expected.tables.keys()].sort());
    const rows = (
      await sql<{
        table_name: string;
        column_name: string;
        data_type: string;
        is_nullable: string;
        is_identity: string;
        column_default: string | null;
      }>`
        SELECT table_name, column_name, data_type, is_nullable, is_identity, column_default FROM information_schema.columns
        WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`.execute(db)
    ).rows;
    for (const [table, columns] of expected.tables) {
      const actual = rows.filter((r) => r.table_name === table);
      const want = columns.map((c) => ({ name: c.name, type: PG_TYPE[c.type] ?? `? ${c.type}`, notNull: c.notNull, default: c.default }));
      // every table but the WITHOUT ROWID candles gets the insertion-order identity column
      if (table !== 'candles') want.push({ name: 'rowid', type: 'bigint', notNull: true, default: null });
      expect(
        actual.map((r) => ({
          name: r.column_name,
          type: r.data_type,
          notNull: r.is_nullable === 'NO',
          // PostgreSQL shows a text default with its type: 'USD'::text
          default: r.column_default?.replace(/::text$/, '') ?? null,
        })),
        table,
      ).toEqual(want);
      expect(actual.filter((r) => r.is_identity === 'YES').map((r) => r.column_name)).toEqual(table === 'candles' ? [] : ['rowid']);
    }
  });

  it('makes as many CHECK constraints on each table as SQLite has', async () => {
    const rows = (
      await sql<{ t: string; n: string }>`SELECT conrelid::regclass::text AS t, count(*) AS n FROM pg_constraint
        WHERE contype = 'c' AND connamespace = 'public'::regnamespace GROUP BY 1`.execute(db)
    ).rows;
    const actual = new Map(rows.map((r) => [r.t, Number(r.n)]));
    for (const [table, n] of expected.checks) expect(actual.get(table) ?? 0, table).toBe(n);
    expect([...expected.checks.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
  });

  it('makes the same primary keys and UNIQUE constraints', async () => {
    const rows = (
      await sql<{ k: string }>`SELECT c.conrelid::regclass::text || CASE c.contype WHEN 'p' THEN ' pk (' ELSE ' unique (' END
          || string_agg(a.attname, ', ' ORDER BY k.ord) || ')' AS k
        FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.contype IN ('p', 'u') AND c.connamespace = 'public'::regnamespace
        GROUP BY c.oid, c.conrelid, c.contype`.execute(db)
    ).rows;
    expect(rows.map((r) => r.k).sort()).toEqual(expected.keys);
  });

  it('makes the candles key cover the OHLCV columns (PostgreSQL only: migration 002, for index-only series reads)', async () => {
    const def = (await sql<{ d: string }>`SELECT pg_get_indexdef('pk_candles'::regclass) AS d`.execute(db)).rows[0]?.d;
    expect(def).toBe(
      'CREATE UNIQUE INDEX pk_candles ON public.candles USING btree (instrument_id, timeframe, "timestamp") INCLUDE (open, high, low, close, volume)',
    );
  });

  it('makes the same named indexes and foreign keys (same ON DELETE)', async () => {
    const indexes = (
      await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'
        AND indexname NOT LIKE '%_pkey' AND (indexname NOT LIKE '%_key' OR indexname LIKE 'uq_%') AND indexname <> 'pk_candles'`.execute(db)
    ).rows
      .map((r) => r.indexname)
      .filter((n) => n !== 'uq_accounts_user_name');
    expect(indexes.sort()).toEqual(expected.indexes);

    const fks = (
      await sql<{ fk: string }>`SELECT c.conrelid::regclass::text || '.' || a.attname || ' -> ' || c.confrelid::regclass::text
          || '.' || fa.attname || ' on delete ' || CASE c.confdeltype WHEN 'a' THEN 'no action' WHEN 'c' THEN 'cascade'
          WHEN 'n' THEN 'set null' WHEN 'r' THEN 'restrict' ELSE 'set default' END AS fk
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`.execute(db)
    ).rows.map((r) => r.fk);
    expect(fks.sort()).toEqual(expected.foreignKeys);
  });

  it('keeps the constraints: big integers, checks, uniqueness, the netting index and insertion order', async () => {
    const t = '2026-01-01T00:00:00.000Z';
    await db.insertInto('users').values({ id: 'u1', email: 'a@b.c', created_at: t, updated_at: t }).execute();
    await db
      .insertInto('accounts')
      .values([
        { id: 'a2', user_id: 'u1', name: 'second', balance: 9_000_000_000_000, created_at: t, updated_at: t },
        { id: 'a1', user_id: 'u1', name: 'first', created_at: t, updated_at: t },
      ])
      .execute();
    const accounts = await db
      .selectFrom('accounts')
      .select(['id', 'balance', 'kind', 'maker_fee_ppm'])
      .orderBy(sql`rowid`)
      .execute();
    // pg returns BIGINT as a string unless the executor sets a type parser
    expect(accounts.map((a: { id: string; balance: unknown }) => [a.id, String(a.balance)])).toEqual([
      ['a2', '9000000000000'],
      ['a1', '0'],
    ]);
    await expect(
      db.insertInto('accounts').values({ id: 'a3', user_id: 'u1', name: 'first', created_at: t, updated_at: t }).execute(),
    ).rejects.toThrow(/uq_accounts_user_name/);
    await expect(
      db.insertInto('accounts').values({ id: 'a4', user_id: 'u1', name: 'x', kind: 'bank', created_at: t, updated_at: t }).execute(),
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.insertInto('accounts').values({ id: 'a5', user_id: 'nobody', name: 'y', created_at: t, updated_at: t }).execute(),
    ).rejects.toThrow(/foreign key/);

    const instrument = {
      symbol: 'BTC-USD',
      name: 'Bitcoin',
      instrument_type: 'crypto',
      tick_size: 1,
      contract_size: 1,
      base_currency: 'BTC',
      quote_currency: 'USD',
      min_size: 1,
      max_size: 10,
      created_at: t,
      updated_at: t,
    };
    await db
      .insertInto('instruments')
      .values({ id: 'i1', ...instrument })
      .execute();
    const position = {
      account_id: 'a1',
      instrument_id: 'i1',
      side: 'long',
      size: 1,
      entry_price: 1,
      current_price: 1,
      opened_at: t,
      updated_at: t,
    };
    await db
      .insertInto('positions')
      .values({ id: 'p1', ...position })
      .execute();
    await expect(
      db
        .insertInto('positions')
        .values({ id: 'p2', ...position })
        .execute(),
    ).rejects.toThrow(/uq_positions_open_netting/);
    await db
      .insertInto('positions')
      .values({ id: 'p3', ...position, is_open: 0 })
      .execute();

    // deleting an instrument takes its candles (ON DELETE CASCADE); the key is (instrument, timeframe, timestamp)
    await db
      .insertInto('candles')
      .values({
        id: 'c1',
        instrument_id: 'i1',
        timeframe: '1m',
        timestamp: 1_700_000_000_000,
        open: 1.5,
        high: 2,
        low: 1,
        close: 1.5,
        volume: 3,
      })
      .execute();
    await expect(
      db
        .insertInto('candles')
        .values({
          id: 'c2',
          instrument_id: 'i1',
          timeframe: '1m',
          timestamp: 1_700_000_000_000,
          open: 1,
          high: 1,
          low: 1,
          close: 1,
          volume: 1,
        })
        .execute(),
    ).rejects.toThrow(/pk_candles/);
    await db.deleteFrom('positions').execute();
    await db.deleteFrom('instruments').execute();
    expect(await db.selectFrom('candles').selectAll().execute()).toEqual([]);
  });

  it('drops everything on the way down and comes back up', async () => {
    await down(db);
    expect(await pgTables(db)).toEqual([]);
    const left = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`.execute(db);
    expect(Number(left.rows[0]?.n)).toBe(0);
    await up(db);
    expect(await pgTables(db)).toEqual([...expected.tables.keys()].sort());
  });
});
