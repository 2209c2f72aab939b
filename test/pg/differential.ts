/**
 * The differential end-to-end suites (issue 16): one scripted CLI workflow, run in process
 * (runCli) once on a temp SQLite file and once on a fresh PostgreSQL database, then the two
 * transcripts compared after normalising only what must differ: ids (random UUIDs and their
 * short forms, login tokens), the database path or URL, temp folders, wall-clock stamps and
 * elapsed times.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { openStore, type Store } from '../../src/store/db.ts';
import { runCli, tempDir, type CliResult } from '../helpers/cli.ts';
import { freshPgDatabase } from '../helpers/pg.ts';

export interface Step extends CliResult {
  readonly args: readonly string[];
  /** Output that legitimately differs between the databases (checked by the suite itself). */
  readonly own: boolean;
  readonly ms: number;
}

export interface StepOptions {
  readonly code?: number;
  readonly input?: string;
  readonly own?: boolean;
  /** What of stdout is compared, when part of it legitimately differs (the rest is checked whole). */
  readonly compare?: (stdout: string) => string;
}

/** Runs one workflow's commands against one database; `cli` throws on an unexpected exit code. */
export class Session {
  readonly steps: Step[] = [];
  constructor(
    readonly db: string,
    readonly env: Record<string, string>,
  ) {}

  async cli(args: string[], opts: StepOptions = {}): Promise<CliResult> {
    const t0 = performance.now();
    const r = await runCli(args, { db: this.db, env: this.env, ...(opts.input !== undefined ? { input: opts.input } : {}) });
    const ms = performance.now() - t0;
    this.steps.push({ ...r, ...(opts.compare ? { stdout: opts.compare(r.stdout) } : {}), args, own: opts.own === true, ms });
    const want = opts.code ?? 0;
    if (r.code !== want) throw new Error(`${args.join(' ')}: exit ${r.code}, expected ${want}\n${r.stderr}${r.stdout}`);
    return r;
  }

  /** `--json` output of a command. */
  async json<T>(args: string[], opts: StepOptions = {}): Promise<T> {
    return JSON.parse((await this.cli([...args, '--json'], opts)).stdout) as T;
  }
}

export interface Run {
  readonly sqlite: Session;
  readonly pg: Session;
  readonly pgUrl: string;
  readonly sqlitePath: string;
  readonly dirs: readonly string[];
}

/**
 * The workflow on both databases, one after the other. Each gets its own temp folder as
 * XDG_CONFIG_HOME (login token files) and XDG_DATA_HOME; the SQLite file is the default one of
 * that data home (`<dir>/data/tunicoin/tunicoin.db`), so a trade log by default lands in
 * `<dir>/data/tunicoin/backtests/` on both (next to the file; in the data dir on PostgreSQL).
 */
export async function runBoth(prefix: string, workflow: (s: Session) => Promise<void>): Promise<Run & { cleanup: () => Promise<void> }> {
  const a = tempDir(`tunicoin-diff-${prefix}-`);
  const b = tempDir(`tunicoin-diff-${prefix}-`);
  const envOf = (dir: string) => ({ XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') });
  const pg = await freshPgDatabase(prefix);
  const cleanup = async () => {
    await pg.drop();
    a.cleanup();
    b.cleanup();
  };
  try {
    const sqlitePath = join(a.dir, 'data', 'tunicoin', 'tunicoin.db');
    mkdirSync(dirname(sqlitePath), { recursive: true });
    const sqlite = new Session(sqlitePath, envOf(a.dir));
    await workflow(sqlite);
    const onPg = new Session(pg.url, envOf(b.dir));
    await workflow(onPg);
    return { sqlite, pg: onPg, pgUrl: pg.url, sqlitePath, dirs: [a.dir, b.dir], cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const STAMP = /\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)Z?/g;
const ELAPSED = /\b\d+(?:\.\d+)? ?(?:ms|s)\b/g;

/**
 * One session's transcript with what must differ replaced: `<db>`, `<dir>`, `<id N>` (N by first
 * appearance in the transcript; a short id maps to its UUID's N, else `<id ?>`), `<token>`, `<now>` for a stamp
 * taken from the wall clock (at or after `since`: the workflows simulate older times), `<t>` for
 * an elapsed time; runs of spaces and of `─` (table padding) collapsed.
 */
export function normalise(s: Session, run: Run, since: number): string[] {
  const urls = [s.db, redacted(s.db)].sort((x, y) => y.length - x.length);
  const ids: string[] = [];
  for (const st of s.steps) for (const m of `${st.stdout}${st.stderr}`.matchAll(UUID)) if (!ids.includes(m[0])) ids.push(m[0]);
  return s.steps
    .filter((st) => !st.own)
    .map((st) => {
      // 2FA and recovery codes are random
      let text = `$ ${st.args.join(' ').replace(/--code \S+/g, '--code <code>')}\n[exit ${st.code}]\n${st.stdout}\n--- stderr\n${st.stderr}`;
      for (const u of urls) text = text.split(u).join('<db>');
      for (const d of run.dirs) text = text.split(d).join('<dir>');
      text = text.replace(/tnc1\.[A-Za-z0-9._-]+/g, '<token>');
      text = text.replace(/sessions\/[0-9a-f]{16}\.json/g, 'sessions/<hash of the database>.json');
      text = text.replace(UUID, (u) => `<id ${ids.indexOf(u)}>`);
      text = text.replace(/\b[0-9a-f]{8}(?:-[0-9a-f]{1,12}){0,4}\b/g, (h) => {
        const i = ids.findIndex((u) => u.startsWith(h));
        return i < 0 ? '<id ?>' : `<id ${i}>`; // ? : the short id of a row whose whole id was not printed
      });
      text = text.replace(STAMP, (m, day: string, time: string) => (Date.parse(`${day}T${time}Z`) >= since - 60_000 ? '<now>' : m));
      // a short id is the shortest prefix unique among its table's ids (time-ordered UUIDs made in
      // the same millisecond share more of it): its length, and so table padding, varies by run
      return text.replace(ELAPSED, '<t>').replace(/─+/g, '─').replace(/ {2,}/g, ' ');
    });
}

function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** The two transcripts are the same, step by step (the first difference names its command). */
export function expectSameTranscripts(run: Run, since: number): void {
  const lite = normalise(run.sqlite, run, since);
  const pg = normalise(run.pg, run, since);
  expect(pg.length).toBe(lite.length);
  for (let i = 0; i < lite.length; i++) expect(pg[i], `step ${i}: ${lite[i]?.split('\n')[0]}`).toBe(lite[i]);
}

/** Both databases opened through openStore (a file path, a URL), for checks of the rows written. */
export async function withStores<T>(run: Run, fn: (sqlite: Store, pg: Store) => T): Promise<T> {
  const sqlite = await openStore(run.sqlitePath, { migrate: false, create: false });
  try {
    const pg = await openStore(run.pgUrl, { migrate: false, create: false });
    try {
      return fn(sqlite, pg);
    } finally {
      pg.close();
    }
  } finally {
    sqlite.close();
  }
}
