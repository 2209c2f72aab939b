/** Spawn the built CLI (bin/tunicoin.js -> dist/cli.js) against a temp database. */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'tunicoin.js');

export interface CliResult { code: number; stdout: string; stderr: string }

export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...extra };
  return env;
}

export function runCli(args: string[], opts: { db?: string; env?: Record<string, string>; input?: string } = {}): CliResult {
  const full = opts.db ? ['--db', opts.db, ...args] : args;
  const r = spawnSync(process.execPath, [BIN, ...full], { env: cleanEnv(opts.env), encoding: 'utf8', input: opts.input ?? '', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function runCliAsync(args: string[], opts: { db?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const full = opts.db ? ['--db', opts.db, ...args] : args;
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...full], { env: cleanEnv(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
  });
}

export function tempDir(prefix = 'tunicoin-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function json<T = unknown>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

/** A seeded database to copy per test (checkpointed, so a plain file copy is complete). */
export function seededTemplate(dir: string, seedArgs: string[]): string {
  const path = join(dir, 'template.db');
  const r = runCli(['seed', ...seedArgs], { db: path });
  if (r.code !== 0) throw new Error(`seed failed: ${r.stderr}`);
  const s = new BetterSqlite3(path);
  s.pragma('wal_checkpoint(TRUNCATE)');
  s.close();
  return path;
}

/**
 * Copies of one seeded database, made once per test file: `fresh()` gives a new copy to each
 * test. Call at the top of a describe block or file (registers its own beforeAll/afterAll).
 */
export function seededCopies(seedArgs: string[], prefix = 'db'): { fresh: () => string; dir: () => string } {
  let t: ReturnType<typeof tempDir> | undefined;
  let template = '';
  let n = 0;
  beforeAll(() => {
    t = tempDir();
    template = seededTemplate(t.dir, seedArgs);
  });
  afterAll(() => t?.cleanup());
  return {
    fresh: () => {
      const p = join((t as { dir: string }).dir, `${prefix}${n++}.db`);
      copyFileSync(template, p);
      return p;
    },
    dir: () => (t as { dir: string }).dir,
  };
}

/** Rows of a read-only query on a database file. */
export function queryDb(db: string, sql: string, ...args: unknown[]): Array<Record<string, unknown>> {
  const s = new BetterSqlite3(db, { readonly: true });
  try {
    return s.prepare(sql).all(...args) as Array<Record<string, unknown>>;
  } finally {
    s.close();
  }
}
