// Shared helpers for benchmarks: timed child processes with peak RSS, medians, tables.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'tunicoin.js');
const RSS_HOOK = join(ROOT, 'bench', 'rss-hook.mjs');

export function tmp(prefix = 'tunicoin-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run `node args...` and return wall ms, peak RSS (MB) and output. */
export function timedNode(args, { env = {}, rss = true } = {}) {
  const rssFile = join(tmpdir(), `tunicoin-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const nodeArgs = rss ? ['--import', RSS_HOOK, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, nodeArgs, { env: { ...process.env, NO_COLOR: '1', TUNICOIN_RSS_FILE: rssFile, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  let rssMb = NaN;
  if (rss) { try { rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024; rmSync(rssFile); } catch {} }
  return { ms, rssMb, stdout: r.stdout, stderr: r.stderr };
}

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
export const fmt = (x, d = 2) => Number.isFinite(x) ? x.toFixed(d) : 'n/a';

export function report(title, rows) {
  console.log(`\n## ${title}`);
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v, target] of rows) console.log(`  ${k.padEnd(w)}  ${v}${target ? `   (target ${target})` : ''}`);
}
