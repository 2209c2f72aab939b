/** Key/value settings: the simulation clock, the default account, the market seed. */
import { param, type Store } from './db.ts';

export type SettingKey =
  'clock' | 'default_account' | 'market_seed' | 'seeded_at' | 'seed_days' | 'database_id' | `default_account:${string}`; // the id in session tokens; a user's default account

export function getSetting(store: Store, key: SettingKey): string | undefined {
  // a hot statement: every command reads a setting or two (the clock, the default account)
  return store.hotStatement('settings.get', (db) => db.selectFrom('settings').select('value').where('key', '=', param<string>())).get(key)
    ?.value;
}

export function setSetting(store: Store, key: SettingKey, value: string): void {
  store.run(
    store.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
  );
}
