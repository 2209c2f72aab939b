import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

// The rows of the import benchmark: a deterministic 1m walk from 2020-01-01 (ms times, 2 decimals).
const START = Date.UTC(2020, 0, 1);
export function row(i) {
  const base = 30000 + 5000 * Math.sin(i / 20000) + ((i * 7919) % 1000) / 10;
  const o = Math.round(base * 100) / 100;
  const c = Math.round((base + (((i * 104729) % 200) - 100) / 10) * 100) / 100;
  const h = Math.round((Math.max(o, c) + 5) * 100) / 100;
  const l = Math.round((Math.min(o, c) - 5) * 100) / 100;
  return [START + i * 60_000, o, h, l, c, ((i * 31) % 1000) / 100 + 0.01];
}

/** A CSV of the first `n` rows (the import format: open_time, OHLCV), written in 1 MB pieces. */
export async function writeCsv(path, n) {
  const out = createWriteStream(path);
  out.write('open_time,open,high,low,close,volume\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    const r = row(i);
    buf += `${r[0]},${r[1]},${r[2]},${r[3]},${r[4]},${r[5]}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
