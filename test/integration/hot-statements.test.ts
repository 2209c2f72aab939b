/** Hot statements: built once per process, prepared once per connection, values only as param(). */
import { afterEach, describe, expect, it } from 'vitest';
import { param } from '../../src/store/db.ts';
import { hotInsert } from '../../src/store/hot-insert.ts';
import { getSetting, setSetting } from '../../src/store/settings.ts';
import { tempStore } from '../helpers/store.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function store() {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  return t.store;
}

describe('hot statements', () => {
  it('build a key once per process: a second connection prepares the same SQL without building', async () => {
    const a = await store();
    const b = await store();
    let builds = 0;
    const get = (s: typeof a) =>
      s.hotStatement('test.hot-once', (db) => {
        builds++;
        return db.selectFrom('settings').select('value').where('key', '=', param<string>());
      });
    setSetting(a, 'clock', '1');
    setSetting(b, 'clock', '2');
    expect(get(a).get('clock')).toEqual({ value: '1' });
    expect(get(b).get('clock')).toEqual({ value: '2' });
    expect(get(a)).toBe(get(a)); // prepared once per connection
    expect(get(a)).not.toBe(get(b));
    expect(builds).toBe(1);
  });

  it('refuse a bound value (it would be lost from the cached SQL)', async () => {
    const s = await store();
    expect(() => s.hotStatement('test.hot-bound', (db) => db.selectFrom('settings').select('value').where('key', '=', 'clock'))).toThrow(
      /bound values/,
    );
  });

  it('read what the builder-per-call queries read (settings, a missing key)', async () => {
    const s = await store();
    expect(getSetting(s, 'market_seed')).toBeUndefined();
    setSetting(s, 'market_seed', '42');
    expect(getSetting(s, 'market_seed')).toBe('42');
  });

  it('insert a row as Kysely would: the SQL of insertInto().values(), columns left undefined keep their default', async () => {
    const s = await store();
    const prepared: string[] = [];
    const orig = s.sqlite.prepare.bind(s.sqlite);
    s.sqlite.prepare = (text: string) => {
      prepared.push(text);
      return orig(text);
    };
    const t = '2026-01-01T00:00:00.000Z';
    const user = (id: string, kyc: string | undefined) => ({
      id,
      email: `${id}@example.com`,
      hashed_password: null,
      twofa_secret: null,
      stripe_customer_id: null,
      stripe_subscription_id: null,
      kyc_status: kyc,
      kyc_verified_at: null,
      created_at: t,
      updated_at: t,
      last_login: null,
      locked_until: null,
      twofa_last_step: null,
    });
    hotInsert(s, 'users', user('hot-a', 'verified'));
    hotInsert(s, 'users', user('hot-b', undefined));
    hotInsert(s, 'users', user('hot-c', 'pending'));
    expect(prepared).toEqual([
      s.db.insertInto('users').values(user('hot-a', 'verified')).compile().sql,
      s.db.insertInto('users').values(user('hot-b', undefined)).compile().sql,
    ]);
    expect(prepared[1]).not.toContain('kyc_status');
    const rows = s.sqlite.prepare("SELECT id, email, kyc_status FROM users WHERE id LIKE 'hot-%' ORDER BY id").all();
    const byDefault = (
      s.sqlite.prepare("SELECT dflt_value FROM pragma_table_info('users') WHERE name = 'kyc_status'").get() as { dflt_value: string }
    ).dflt_value;
    expect(rows).toEqual([
      { id: 'hot-a', email: 'hot-a@example.com', kyc_status: 'verified' },
      { id: 'hot-b', email: 'hot-b@example.com', kyc_status: byDefault.replace(/^'|'$/g, '') },
      { id: 'hot-c', email: 'hot-c@example.com', kyc_status: 'pending' },
    ]);
  });
});
