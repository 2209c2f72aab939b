// Loaded with --import: writes the process's peak RSS (KB) to $TUNICOIN_RSS_FILE at exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.TUNICOIN_RSS_FILE) writeFileSync(process.env.TUNICOIN_RSS_FILE, String(process.resourceUsage().maxRSS));
});
