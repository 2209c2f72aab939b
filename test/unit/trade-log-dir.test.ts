import { describe, expect, it } from 'vitest';
import { tradeLogDir } from '../../src/store/paths.ts';

describe('tradeLogDir: where a backtest trade log goes without --trades', () => {
  it('next to a database file', () => {
    expect(tradeLogDir({ dialect: 'sqlite', path: '/data/desk/t.db' }, {})).toBe('/data/desk/backtests');
  });

  it('under the data dir for a PostgreSQL server, never a folder named after the URL', () => {
    const store = { dialect: 'postgres' as const, path: 'postgres://me:***@db.lan:5432/tunicoin' };
    expect(tradeLogDir(store, { XDG_DATA_HOME: '/home/me/.data' })).toBe('/home/me/.data/tunicoin/backtests');
    expect(tradeLogDir(store, { HOME: '/home/me' })).toBe('/home/me/.local/share/tunicoin/backtests');
  });
});
