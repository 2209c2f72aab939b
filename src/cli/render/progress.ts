/**
 * A one-line progress bar on stderr, drawn only on a TTY. Writes are synchronous, so it works
 * inside a long synchronous transaction where timers (spinners) would never fire.
 */
import type { Writable } from 'node:stream';

export interface Progress {
  update(done: number, total: number): void;
  done(message?: string): void;
}

export function makeProgress(err: Writable & { isTTY?: boolean }, label: string, enabled: boolean): Progress {
  if (!enabled || !err.isTTY) return { update() {}, done() {} };
  let last = -1;
  const width = 30;
  return {
    update(done, total) {
      const pct = total > 0 ? Math.min(1, done / total) : 1;
      const p = Math.floor(pct * 100);
      if (p === last) return;
      last = p;
      const fill = Math.round(pct * width);
      err.write(`\r${label} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${String(p).padStart(3)}%`);
    },
    done(message) {
      err.write(`\r\x1b[2K${message ? `${message}\n` : ''}`);
    },
  };
}
