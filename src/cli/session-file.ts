/**
 * The login's token file: `$XDG_CONFIG_HOME/tunicoin/sessions/<hash of the database path>.json`
 * (else `~/.config/...`), owner-only (0600 in a 0700 directory), one per database, so logins
 * to different databases do not replace each other. CI sets TUNICOIN_TOKEN instead.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function tokenFilePath(env: NodeJS.ProcessEnv, dbPath: string): string {
  const base = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(env.HOME || homedir(), '.config');
  const key = createHash('sha256').update(resolve(dbPath)).digest('hex').slice(0, 32);
  return join(base, 'tunicoin', 'sessions', `${key}.json`);
}

/** The saved token for this database, if any (an unreadable or malformed file counts as none). */
export function readTokenFile(env: NodeJS.ProcessEnv, dbPath: string): string | undefined {
  try {
    const data = JSON.parse(readFileSync(tokenFilePath(env, dbPath), 'utf8')) as { token?: unknown };
    return typeof data.token === 'string' ? data.token : undefined;
  } catch {
    return undefined;
  }
}

export function writeTokenFile(env: NodeJS.ProcessEnv, dbPath: string, token: string, expiresAt: string): string {
  const path = tokenFilePath(env, dbPath);
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ db: resolve(dbPath), token, expiresAt })}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600); // an existing file keeps its mode on open: make sure
  renameSync(tmp, path);
  return path;
}

export function removeTokenFile(env: NodeJS.ProcessEnv, dbPath: string): boolean {
  const path = tokenFilePath(env, dbPath);
  try { readFileSync(path); } catch { return false; }
  rmSync(path, { force: true });
  return true;
}
