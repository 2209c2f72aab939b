/** Key/value settings: the simulation clock, the default account, the market seed. */
import type { Store } from './db.ts';

export type SettingKey =
  'clock' | 'default_account' | 'market_seed' | 'seeded_at' | 'seed_days' | 'database_id' | `default_account:${string}`; // the id in session tokens; a user's default account

export function getSetting(store: Store, key: SettingKey): string | undefined {
  const row = store.get(store.db.selectFrom('settings').select('value').where('key', '=', key));
  return row?.value;
}

export function setSetting(store: Store, key: SettingKey, value: string): void {
  store.run(
    store.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
  );
}
