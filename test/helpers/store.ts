/** A migrated temp database for store-level tests. */
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/db.ts';
import { tempDir } from './cli.ts';

export async function tempStore(opts: { migrate?: boolean } = {}): Promise<{ store: Store; path: string; cleanup: () => void }> {
  const t = tempDir('tunicoin-store-');
  const path = join(t.dir, 'test.db');
  const store = await openStore(path, opts);
  return { store, path, cleanup: () => { store.close(); t.cleanup(); } };
}
