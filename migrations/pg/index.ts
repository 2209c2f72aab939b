// The PostgreSQL migrations, in order (hand-written: scripts/gen-migration-index.mjs indexes only
// the SQLite migrations in migrations/ and does not look into this folder). PostgreSQL starts at
// the END STATE of the SQLite schema (001_schema); later changes get a migration on each side.
import type { MigrationModule } from '../index.ts';
import * as m0 from './001_schema.ts';
import * as m1 from './002_candles_covering_key.ts';
import * as m2 from './003_candle_packs.ts';
import * as m3 from './004_bot_decisions_unsettled.ts';

export const PG_MIGRATIONS: ReadonlyArray<{ readonly name: string; readonly module: MigrationModule }> = [
  { name: '001_schema', module: m0 },
  { name: '002_candles_covering_key', module: m1 },
  { name: '003_candle_packs', module: m2 },
  { name: '004_bot_decisions_unsettled', module: m3 },
];

export const PG_MIGRATION_NAMES: readonly string[] = PG_MIGRATIONS.map((m) => m.name);
