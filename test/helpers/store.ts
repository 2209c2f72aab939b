/** A migrated temp database for store-level tests. */
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../src/store/db.ts';
import { tempDir } from './cli.ts';

export async function tempStore(opts: { migrate?: boolean } = {}): Promise<{ store: SqliteStore; path: string; cleanup: () => void }> {
  const t = tempDir('tunicoin-store-');
  const path = join(t.dir, 'test.db');
  const store = await openSqliteStore(path, opts);
  return {
    store,
    path,
    cleanup: () => {
      store.close();
      t.cleanup();
    },
  };
}

/** The candles table's primary key columns in key order, [] unless it is a WITHOUT ROWID table. */
export function candleKey(sqlite: SqliteStore['sqlite']): string[] {
  const t = sqlite.prepare("SELECT wr FROM pragma_table_list WHERE name = 'candles'").get() as { wr: number };
  if (t.wr !== 1) return [];
  const cols = sqlite.prepare('PRAGMA table_info(candles)').all() as { name: string; pk: number }[];
  return cols
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
}
