// The optimize cases of the backtest bench: a 48-combination sweep over the bench's 1M candles on
// 1 and on 2 workers, interleaved, beside this machine's 2-process ceiling measured in the same
// minutes and the Amdahl bound of the 1-worker command's serial part.
import { twoProcessCeiling } from './ceiling.mjs';
import { BIN, fmt, median, record, report, timedNode } from './lib.mjs';

/** Run and record the sweeps on database `db` (the bench's million 1m candles). */
export async function optimizeCases(db) {
  const sweep = (w, tf) =>
    timedNode([
      BIN,
      '--db',
      db,
      'optimize',
      'ema_crossover',
      '--grid',
      'fast=4:18:2',
      '--grid',
      'slow=20:70:10',
      '--timeframe',
      tf,
      '--workers',
      String(w),
      '--json',
    ]);
  const sweptMs = (r) => Number(/in (\d+) ms/.exec(r.stderr)?.[1] ?? NaN);
  const loadMs = (r) => Number(/(\d+) ms of it loading/.exec(r.stderr)?.[1] ?? NaN);
  for (const tf of ['1h', '1m']) {
    const one = [];
    const two = [];
    const oneSweep = [];
    const twoSweep = [];
    const oneLoad = [];
    const twoLoad = [];
    const oneCpu = [];
    const twoCpu = [];
    const ceilings = [];
    let combos = 0;
    let identical = true;
    let first;
    for (let k = 0; k < 2; k++) {
      // the machine's 2-process ceiling measured between the two sweeps, in the same minute
      const a = sweep(1, tf);
      ceilings.push(await twoProcessCeiling(100_000_000));
      const b = sweep(2, tf);
      one.push(a.ms);
      two.push(b.ms);
      oneSweep.push(sweptMs(a));
      twoSweep.push(sweptMs(b));
      oneLoad.push(loadMs(a));
      twoLoad.push(loadMs(b));
      oneCpu.push(a.cpuMs);
      twoCpu.push(b.cpuMs);
      combos = JSON.parse(a.stdout).combinations;
      const same = (r) => r.stdout.replace(/"sweepId": "[^"]*"/, ''); // each run is stored under its own id
      first ??= same(a);
      identical &&= same(a) === first && same(b) === first;
    }
    const runs = (s, l) => s.map((x, i) => x - l[i]);
    const speedUp = median(one) / median(two);
    // Amdahl: the 1-worker command's serial part (whole command minus load + sweep) stays, the
    // parallel part divides by 2 cores, or by the ceiling measured in these minutes
    const serial = median(one) - median(oneSweep);
    const ceiling = median(ceilings.map((c) => c.ratio));
    const amdahl2 = median(one) / (serial + median(oneSweep) / 2);
    const amdahlHere = median(one) / (serial + median(oneSweep) / ceiling);
    const oneCores = median(oneCpu.map((c, i) => c / one[i]));
    report(`optimize: ${combos} combinations over the same 1M candles (${tf} strategy timeframe), interleaved, median of 2`, [
      ['whole command, 1 worker / 2 workers', `${fmt(median(one), 0)} ms / ${fmt(median(two), 0)} ms: speed-up ${fmt(speedUp)}`, '>= 1.75'],
      [
        'load + sweep, from pool start to results',
        `${fmt(median(oneSweep), 0)} ms / ${fmt(median(twoSweep), 0)} ms: speed-up ${fmt(median(oneSweep) / median(twoSweep))}`,
      ],
      [
        '  of which loading the candles',
        `${fmt(median(oneLoad), 0)} ms / ${fmt(median(twoLoad), 0)} ms: speed-up ${fmt(median(oneLoad) / median(twoLoad))}`,
      ],
      [
        '  of which the backtests',
        `${fmt(median(runs(oneSweep, oneLoad)), 0)} ms / ${fmt(median(runs(twoSweep, twoLoad)), 0)} ms: speed-up ${fmt(median(runs(oneSweep, oneLoad)) / median(runs(twoSweep, twoLoad)))}`,
      ],
      ['CPU time (user + system)', `${fmt(median(oneCpu), 0)} ms / ${fmt(median(twoCpu), 0)} ms: ${fmt(median(twoCpu) / median(oneCpu))}x`],
      [
        "reference: this machine's 2-process ceiling, same minutes",
        `${ceilings.map((c) => fmt(c.ratio) + (c.rawRatio > 2 ? ` (raw ${fmt(c.rawRatio)}, capped)` : '')).join(', ')} (spin loop alone ${ceilings.map((c) => fmt(c.aloneMs, 0)).join(', ')} ms, two at once ${ceilings.map((c) => fmt(c.pairMs, 0)).join(', ')} ms)`,
      ],
      [
        // V8's helper threads (GC, the concurrent compiler) run on the second core beside one
        // worker: a 1-worker command already keeps more than one core busy, so 2 cores give it
        // at most 2 / that, whatever the split
        'reference: cores the 1-worker command keeps busy (CPU / wall)',
        `${fmt(oneCores)}: 2 cores give at most ${fmt(2 / oneCores)}x at the same CPU`,
      ],
      [
        'reference: Amdahl bound (serial part of the 1-worker command)',
        `serial ${fmt(serial, 0)} ms of ${fmt(median(one), 0)}: ${fmt(amdahl2)} on 2 free cores, ${fmt(amdahlHere)} at the ceiling`,
      ],
      ['identical results', identical ? 'yes' : 'NO'],
    ]);
    record({
      id: `optimize-${tf}`,
      title: `\`optimize\`, ${combos} combinations on 1M candles (${tf} strategy timeframe), 2 workers (whole command)`,
      unit: 'ms',
      samples: two,
      ratio: {
        value: speedUp,
        reference: `speed-up over 1 worker (median ${fmt(median(one), 0)} ms); same minutes: 2-process ceiling ${fmt(ceiling)}x, Amdahl bound ${fmt(amdahlHere)}x at that ceiling (${fmt(amdahl2)}x on 2 free cores, serial ${fmt(serial, 0)} ms)`,
      },
      target: 'ratio >= 1.75',
      cpu: { samples: twoCpu, reference: median(oneCpu) },
      extra: {
        identicalResults: identical,
        oneWorker: { ms: one, sweepMs: oneSweep, loadMs: oneLoad, cpuMs: oneCpu },
        twoWorkers: { ms: two, sweepMs: twoSweep, loadMs: twoLoad, cpuMs: twoCpu },
        ceiling: { ratio: ceiling, runs: ceilings },
        amdahl: { serialMs: serial, twoCores: amdahl2, atCeiling: amdahlHere, ofCeiling: speedUp / amdahlHere },
        oneWorkerCores: oneCores,
      },
    });
  }
}
