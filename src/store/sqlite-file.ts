/**
 * The SQLite file behind --db, before SQLite opens it: what is in the way (a folder, a device, a
 * foreign file, no write permission) is a DatabaseError naming the fix; a new file and its
 * missing folders are created owner-only.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseError } from '../core/errors.ts';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

const errCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** The file's stat, or null when nothing is there; anything else in the way is a DatabaseError. */
export function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new DatabaseError(
      code === 'ENOTDIR'
        ? `cannot create the database ${path}: a parent of it is a file, not a directory`
        : `cannot use ${path} as the database: ${errCode(e)}`,
      'pass --db with a writable file path or set TUNICOIN_DB',
    );
  }
}

export function assertSqliteFile(path: string, st: Stats): void {
  if (st.isDirectory())
    throw new DatabaseError(
      `${path} is a directory, not a database file`,
      'pass --db with a file path inside it, e.g. --db DIR/tunicoin.db',
    );
  if (!st.isFile())
    throw new DatabaseError(
      `${path} is not a regular file (a device, pipe or socket); it was left untouched`,
      'pass --db with a file path',
    );
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
    accessSync(dirname(path), constants.W_OK | constants.X_OK); // WAL needs its -wal and -shm files next to it
  } catch (e) {
    throw new DatabaseError(
      `cannot write ${path}: ${errCode(e)} (read-only file, folder or someone else's)`,
      'check its permissions or pass --db with another path',
    );
  }
  if (st.size === 0) return; // SQLite treats an empty file as a new database
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new DatabaseError(`cannot read ${path}: ${errCode(e)}`, 'check its permissions or pass --db with another path');
  }
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    if (n < 16 || buf.toString('latin1') !== SQLITE_MAGIC) {
      throw new DatabaseError(
        `${path} is not a tunicoin database (not a SQLite file); it was left untouched`,
        'pass --db with another path, or move the file away',
      );
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The folders missing above a new file, outermost first; createFile makes them one level at a
 * time (owner-only). Not `mkdir -p`: Node's recursive
 * mkdir loops forever on some paths (e.g. under /proc), and a file in the way must be an error.
 */
function missingDirs(dir: string): string[] {
  const missing: string[] = [];
  let d = dir;
  for (;;) {
    const st = statOrNull(d);
    if (st) {
      if (!st.isDirectory())
        throw new DatabaseError(
          `cannot create the database in ${dir}: ${d} is not a directory`,
          'pass --db with a writable path or set TUNICOIN_DB',
        );
      break;
    }
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return missing.reverse();
}

export async function createFile(path: string, beforeCreateFolder?: (dir: string) => Promise<void>): Promise<void> {
  const dir = dirname(path);
  const missing = missingDirs(dir);
  if (missing.length > 0 && beforeCreateFolder) await beforeCreateFolder(dir);
  try {
    for (const m of missing) mkdirSync(m, { mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof DatabaseError) throw e;
    throw new DatabaseError(`cannot create the database in ${dir}: ${errCode(e)}`, 'pass --db with a writable path or set TUNICOIN_DB');
  }
  try {
    closeSync(openSync(path, 'wx', 0o600)); // owner-only from the first byte
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new DatabaseError(`cannot create ${path}: ${errCode(e)}`, 'pass --db with a writable path');
    }
  }
}
