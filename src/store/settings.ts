/** Key/value settings: the simulation clock, the default account, the market seed. */
import type { Store } from './db.ts';

export type SettingKey = 'clock' | 'default_account' | 'market_seed' | 'seeded_at' | 'seed_days'
  | 'database_id' | `default_account:${string}`; // the id in session tokens; a user's default account

export function getSetting(store: Store, key: SettingKey): string | undefined {
  const row = store.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setSetting(store: Store, key: SettingKey, value: string): void {
  store.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
