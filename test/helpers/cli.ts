/**
 * Run the CLI against a temp database: in this process through runMain (runCli: the same
 * parsing, handlers and error mapping as the binary, with captured streams), or as a process of
 * the built binary (runCliProcess, runCliAsync: bin/tunicoin.js -> dist/cli.cjs) for what needs
 * one: exit codes of the real binary, signals, the process's own streams, concurrency, crashes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
import { runMain } from '../../src/cli/main.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'tunicoin.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...extra };
  return env;
}

export interface CliOptions {
  db?: string;
  env?: Record<string, string>;
  input?: string;
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: string, cb: () => void): void {
    this.text += String(chunk);
    cb();
  }
}

/**
 * The CLI in this process (runMain) with the environment a spawned binary gets (cleanEnv), the
 * optional `input` on stdin and captured stdout/stderr. A throw that escapes runMain counts as
 * the binary's uncaught error: exit 1 with the stack on stderr.
 */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const full = opts.db ? ['--db', opts.db, ...args] : args;
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = Readable.from(opts.input === undefined ? [] : [Buffer.from(opts.input)]);
  let code: number;
  try {
    code = await runMain(full, { stdout, stderr, stdin, env: cleanEnv(opts.env) });
  } catch (e) {
    stderr.text += `${(e as Error)?.stack ?? String(e)}\n`;
    code = 1;
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The built binary as a process (spawnSync): for what needs a process. Same result shape as runCli. */
export function runCliProcess(args: string[], opts: CliOptions = {}): CliResult {
  const full = opts.db ? ['--db', opts.db, ...args] : args;
  const r = spawnSync(process.execPath, [BIN, ...full], {
    env: cleanEnv(opts.env),
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The built binary as a process, not waited for: for concurrent runs. */
export function runCliAsync(args: string[], opts: { db?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const full = opts.db ? ['--db', opts.db, ...args] : args;
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...full], { env: cleanEnv(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
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
export async function seededTemplate(dir: string, seedArgs: string[]): Promise<string> {
  const path = join(dir, 'template.db');
  const r = await runCli(['seed', ...seedArgs], { db: path });
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
  beforeAll(async () => {
    t = tempDir();
    template = await seededTemplate(t.dir, seedArgs);
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
