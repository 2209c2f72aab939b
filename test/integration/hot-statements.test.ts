/** Hot statements: built once per process, prepared once per connection, values only as param(). */
import { afterEach, describe, expect, it } from 'vitest';
import { param } from '../../src/store/db.ts';
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
});
