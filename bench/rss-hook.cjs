// Preloaded with -r (CommonJS: it adds no ESM loader to the measured start-up): writes the
// process's peak RSS (KB) and CPU time (user + system, ms) to $TUNICOIN_RSS_FILE at exit.
//
// Peak RSS is VmHWM from /proc/self/status, not getrusage's maxRSS: Linux carries ru_maxrss
// across execve, so a process spawned by a big parent (the bench, holding a million generated
// candles) reported the parent's ~290 MB as its own peak. VmHWM belongs to the exec'd image.
const { readFileSync, writeFileSync } = require('node:fs');

function peakRssKb() {
  try {
    const m = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'));
    if (m) return Number(m[1]);
  } catch {
    /* no procfs: getrusage's figure below */
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  if (!process.env.TUNICOIN_RSS_FILE) return;
  const cpu = process.cpuUsage();
  writeFileSync(process.env.TUNICOIN_RSS_FILE, JSON.stringify({ maxRssKb: peakRssKb(), cpuMs: (cpu.user + cpu.system) / 1000 }));
});
