// Shared helpers for benchmarks: timed child processes with peak RSS, medians, tables, and the
// machine-readable record of every case (`npm run bench -- --json`, see run.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'tunicoin.js');
const RSS_HOOK = join(ROOT, 'bench', 'rss-hook.cjs');

export function tmp(prefix = 'tunicoin-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Run `node args...` and return wall ms, peak RSS (MB), CPU ms (user + system: steadier than the
 * wall clock on a shared machine) and output.
 */
export function timedNode(args, { env = {}, rss = true } = {}) {
  const rssFile = join(tmpdir(), `tunicoin-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const nodeArgs = rss ? ['-r', RSS_HOOK, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, nodeArgs, {
    env: { ...process.env, NO_COLOR: '1', TUNICOIN_RSS_FILE: rssFile, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  let rssMb = NaN;
  let cpuMs = NaN;
  if (rss) {
    try {
      const u = JSON.parse(readFileSync(rssFile, 'utf8'));
      rssMb = u.maxRssKb / 1024;
      cpuMs = u.cpuMs;
      rmSync(rssFile);
    } catch {
      /* no usage file written: the figures stay NaN */
    }
  }
  return { ms, rssMb, cpuMs, stdout: r.stdout, stderr: r.stderr };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** Human output: stdout normally, stderr with --json (stdout may then be piped). */
let log = (line) => console.log(line);
export function logTo(fn) {
  log = fn;
}

export function report(title, rows) {
  log(`\n## ${title}`);
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v, target] of rows) log(`  ${k.padEnd(w)}  ${v}${target ? `   (target ${target})` : ''}`);
}

/** Every case measured in this run, in order (run.mjs writes them as JSON). */
export const cases = [];

/**
 * Record one case. `samples`: the measured values of the figure (ms, or a rate), one per run;
 * `ratio`: { value, reference } where the reference says what the figure is divided by (measured
 * in the same run); `rssMb`: the peak RSS of the measured process(es), when it was one.
 */
export function record({ id, title, unit, samples, ratio = null, rssMb = null, target = null, cpu = null, extra = {} }) {
  const s = [...samples].filter(Number.isFinite).sort((a, b) => a - b);
  const c = cpu ? [...cpu.samples].filter(Number.isFinite).sort((a, b) => a - b) : [];
  cases.push({
    id,
    title,
    unit,
    median: s.length ? median(s) : null,
    min: s[0] ?? null,
    max: s[s.length - 1] ?? null,
    runs: s.length,
    peakRssMb: rssMb === null || !Number.isFinite(rssMb) ? null : Math.round(rssMb * 10) / 10,
    ratio: ratio && Number.isFinite(ratio.value) ? { value: Math.round(ratio.value * 1000) / 1000, reference: ratio.reference } : null,
    // CPU time of the same runs (ms), and the ratio on CPU time when there is a reference
    cpuMs: c.length
      ? {
          median: median(c),
          min: c[0],
          max: c[c.length - 1],
          ratio: cpu.reference ? Math.round((median(c) / cpu.reference) * 1000) / 1000 : null,
        }
      : null,
    target,
    ...extra,
  });
}

/** Size of a file in MB, 0 when it does not exist (a WAL checkpointed away on close). */
export const fileMb = (path) => {
  try {
    return statSync(path).size / 1048576;
  } catch {
    return 0;
  }
};
