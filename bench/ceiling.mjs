// What this machine allows a 2-worker job in the minute it runs: the same fixed CPU-bound JS loop
// in one process alone, then in two processes at once (started together), and the ratio
// 2 x (time alone) / (time of the slower of the two). 2.00 = two free cores; 1.00 = the second
// process gained nothing (the host's cores are shared). The optimize cases measure it between
// their sweeps, so each speed-up stands next to the ceiling of the same minutes.
import { spawn } from 'node:child_process';

// Waits (without spinning) until the agreed start, then times the loop: two processes started
// one after the other run their loops over the same interval.
const SPIN = `const [at, n] = process.argv.slice(1).map(Number);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, at - Date.now()));
const t = performance.now(); let x = 0; for (let i = 0; i < n; i++) x += i % 7;
process.stdout.write(JSON.stringify({ ms: performance.now() - t, late: Date.now() - at, x }));`;

function spinOnce(at, n) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', SPIN, String(at), String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`spin loop exited ${code}`))));
  });
}

/**
 * Loop ms alone (the mean of one run before and one after the pair, so a slow minute on either
 * side weighs half), loop ms of the slower of two at once, and the ratio (the 2-process ceiling).
 * Two cores cannot give more than 2x: a ratio above 2 is the noise of the single runs, so it is
 * capped at 2 and the raw figure kept.
 */
export async function twoProcessCeiling(n = 150_000_000) {
  const before = (await spinOnce(Date.now() + 250, n)).ms;
  const at = Date.now() + 250; // time for both processes to start before either loops
  const both = await Promise.all([spinOnce(at, n), spinOnce(at, n)]);
  const after = (await spinOnce(Date.now() + 250, n)).ms;
  const alone = (before + after) / 2;
  const slower = Math.max(...both.map((r) => r.ms));
  const raw = (2 * alone) / slower;
  return { aloneMs: alone, aloneRuns: [before, after], pairMs: slower, rawRatio: raw, ratio: Math.min(2, raw) };
}
