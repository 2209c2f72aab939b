/**
 * Where the database lives: `--db PATH`, else `TUNICOIN_DB`, else
 * `$XDG_DATA_HOME/tunicoin/tunicoin.db`, else `~/.local/share/tunicoin/tunicoin.db`.
 */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { isPostgresUrl } from './db-target.ts';

export interface DbPathSource {
  readonly path: string;
  readonly from: '--db' | 'TUNICOIN_DB' | 'XDG_DATA_HOME' | 'default';
}

export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv): DbPathSource {
  if (flag !== undefined) {
    if (flag.trim() === '')
      throw new UsageError('--db needs a file path, got ""', 'e.g. --db ./tunicoin.db, or leave --db out for the default');
    return { path: isPostgresUrl(flag) ? flag.trim() : resolve(flag), from: '--db' };
  }
  if (env.TUNICOIN_DB)
    return { path: isPostgresUrl(env.TUNICOIN_DB) ? env.TUNICOIN_DB.trim() : resolve(env.TUNICOIN_DB), from: 'TUNICOIN_DB' };
  if (env.XDG_DATA_HOME) return { path: join(resolve(env.XDG_DATA_HOME), 'tunicoin', 'tunicoin.db'), from: 'XDG_DATA_HOME' };
  return { path: join(env.HOME || homedir(), '.local', 'share', 'tunicoin', 'tunicoin.db'), from: 'default' };
}

/**
 * tunicoin's data folder: `$XDG_DATA_HOME/tunicoin`, else `~/.local/share/tunicoin` (where the
 * default database lives). With a PostgreSQL database, files tunicoin writes by default (a
 * backtest's trade log) go here, as the database has no folder of its own.
 */
/**
 * Where a backtest's trade log goes unless --trades names a file: `backtests/` next to the
 * database file; for a PostgreSQL server (no file), under the data dir.
 */
export function tradeLogDir(store: { readonly dialect: 'sqlite' | 'postgres'; readonly path: string }, env: NodeJS.ProcessEnv): string {
  return join(store.dialect === 'sqlite' ? dirname(store.path) : dataDir(env), 'backtests');
}

export function dataDir(env: NodeJS.ProcessEnv): string {
  return env.XDG_DATA_HOME ? join(resolve(env.XDG_DATA_HOME), 'tunicoin') : join(env.HOME || homedir(), '.local', 'share', 'tunicoin');
}
