/** The login token file of a PostgreSQL URL: keyed by the URL without its password, whatever the working directory. */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readTokenFile, removeTokenFile, tokenFilePath, writeTokenFile } from '../../src/cli/session-file.ts';
import { tempDir } from '../helpers/cli.ts';

const t = tempDir();
afterAll(() => t.cleanup());
const env = { XDG_CONFIG_HOME: t.dir };

describe('session file of a server database', () => {
  it('names the database by its URL without the password, and reads back whatever the password given', () => {
    const url = 'postgres://ada:s3cret@db.example:5432/tunicoin';
    const file = writeTokenFile(env, url, 'tnc1.x.y', '2030-01-01T00:00:00.000Z');
    const saved = readFileSync(file, 'utf8');
    expect(saved).not.toContain('s3cret');
    expect(JSON.parse(saved)).toMatchObject({ db: 'postgres://ada@db.example:5432/tunicoin', token: 'tnc1.x.y' });
    expect(tokenFilePath(env, 'postgres://ada:other@db.example:5432/tunicoin')).toBe(file);
    expect(readTokenFile(env, url)).toBe('tnc1.x.y');
    expect(readTokenFile(env, 'postgres://ada@db.example:5432/other')).toBeUndefined();
    const cwd = process.cwd();
    try {
      process.chdir(t.dir);
      expect(tokenFilePath(env, url)).toBe(file);
    } finally {
      process.chdir(cwd);
    }
    expect(removeTokenFile(env, url)).toBe(true);
    expect(readTokenFile(env, url)).toBeUndefined();
  });

  it('a file path is still keyed by its absolute path', () => {
    const cwd = process.cwd();
    const abs = tokenFilePath(env, `${t.dir}/x.db`);
    try {
      process.chdir(t.dir);
      expect(tokenFilePath(env, 'x.db')).toBe(abs);
    } finally {
      process.chdir(cwd);
    }
  });
});
