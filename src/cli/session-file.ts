/**
 * The login's token file: `$XDG_CONFIG_HOME/tunicoin/sessions/<hash of the database path>.json`
 * (else `~/.config/...`), owner-only (0600 in a 0700 directory), one per database, so logins
 * to different databases do not replace each other. CI sets TUNICOIN_TOKEN instead.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isPostgresUrl } from '../store/db-target.ts';

/**
 * A file name for a database path: two 32-bit FNV-1a hashes (not a security measure, only a
 * key; the file records its path and a mismatch reads as no token). node:crypto is not loaded
 * for this: every command that opens the database looks for the file.
 */
function pathKey(path: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * What names the database in the token file: a file's absolute path; a PostgreSQL URL as given
 * minus its password (resolving it as a path would make it depend on the working directory, and
 * the password has no business in the file).
 */
function dbKey(dbPath: string): string {
  if (!isPostgresUrl(dbPath)) return resolve(dbPath);
  try {
    const u = new URL(dbPath.trim());
    u.password = '';
    return u.toString();
  } catch {
    return dbPath.trim();
  }
}

export function tokenFilePath(env: NodeJS.ProcessEnv, dbPath: string): string {
  const base = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(env.HOME || homedir(), '.config');
  return join(base, 'tunicoin', 'sessions', `${pathKey(dbKey(dbPath))}.json`);
}

/** The saved token for this database, if any (an unreadable or malformed file counts as none). */
export function readTokenFile(env: NodeJS.ProcessEnv, dbPath: string): string | undefined {
  try {
    const data = JSON.parse(readFileSync(tokenFilePath(env, dbPath), 'utf8')) as { db?: unknown; token?: unknown };
    return typeof data.token === 'string' && data.db === dbKey(dbPath) ? data.token : undefined;
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
  writeFileSync(tmp, `${JSON.stringify({ db: dbKey(dbPath), token, expiresAt })}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600); // an existing file keeps its mode on open: make sure
  renameSync(tmp, path);
  return path;
}

export function removeTokenFile(env: NodeJS.ProcessEnv, dbPath: string): boolean {
  const path = tokenFilePath(env, dbPath);
  try {
    readFileSync(path);
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}
