// Preloaded with -r (CommonJS: it adds no ESM loader to the measured start-up): writes the
// process's peak RSS (KB) and CPU time (user + system, ms) to $TUNICOIN_RSS_FILE at exit.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (!process.env.TUNICOIN_RSS_FILE) return;
  const cpu = process.cpuUsage();
  writeFileSync(
    process.env.TUNICOIN_RSS_FILE,
    JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 }),
  );
});
