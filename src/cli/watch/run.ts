/**
 * Mounts the screen on the terminal: the alternate screen, Ink (loaded only by `watch`), the
 * controller's frame loop, resize, and a clean exit (Ink unmounted, the terminal restored)
 * whatever happens.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../app/package-root.ts';
import { WatchController, type WatchConfig, type WatchStats } from './controller.ts';
import type { InkScreen } from './ink-ui.tsx';
import type { Key } from './state.ts';
import type { ScreenView } from './view-types.ts';

/** The Ink screen module, built as an ES module of its own (see ink-ui.tsx); a computed specifier keeps it out of the CLI bundle. */
async function loadInkScreen(): Promise<typeof import('./ink-ui.tsx')> {
  const url = pathToFileURL(join(packageRoot(), 'dist', 'watch-ui.js')).href;
  // Ink decides once, when it loads, that a CI variable means "no live frames, print the last one
  // on exit". `watch` has already checked that it runs on a terminal, so the screen must be live
  // there too (a terminal on a CI runner, tmux in a CI job): hide those variables while Ink loads.
  const hidden = hideEnv(['CI', 'CONTINUOUS_INTEGRATION']);
  try {
    return (await import(url)) as typeof import('./ink-ui.tsx');
  } finally {
    Object.assign(process.env, hidden);
  }
}

function hideEnv(names: readonly string[]): Record<string, string> {
  const hidden: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name];
    if (value === undefined) continue;
    hidden[name] = value;
    delete process.env[name];
  }
  return hidden;
}

export interface TerminalIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

export interface WatchOutcome {
  readonly interrupted: boolean;
  readonly stats: WatchStats & { wallMs: number; cpuUserMs: number; cpuSystemMs: number };
}

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[H\x1b[2J';
const ALT_SCREEN_OFF = '\x1b[?1049l';

export async function runWatchScreen(
  io: TerminalIo,
  cfg: Omit<WatchConfig, 'size' | 'draw'>,
  onInterrupt: (fn: () => void) => void,
): Promise<WatchOutcome> {
  const size = () => ({ cols: io.stdout.columns ?? 80, rows: io.stdout.rows ?? 24 });
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  let controller: WatchController | null = null;
  const onKey = (k: Key) => {
    void controller?.key(k);
  };
  const screen: InkScreen = (await loadInkScreen()).inkScreen(io, onKey);
  const draw = (view: ScreenView) => screen.draw(view);
  const onResize = () => {
    io.stdout.write('\x1b[2J');
    screen.clear();
    controller?.resized();
  };
  let onTerm: (() => void) | null = null;
  io.stdout.write(ALT_SCREEN_ON);
  io.stdout.on('resize', onResize);
  try {
    controller = new WatchController({ ...cfg, size, draw });
    const c = controller;
    onInterrupt(() => c.quit(true)); // SIGINT from outside the terminal (kill -INT)
    // SIGTERM: stop and give the terminal back at once (Ink's own exit hook may end the process
    // right after this; the database is consistent whatever the moment: every tick is a transaction).
    process.once(
      'SIGTERM',
      (onTerm = () => {
        c.quit(true);
        io.stdout.write(ALT_SCREEN_OFF);
      }),
    );
    c.start();
    const { interrupted } = await c.done;
    const cpu = process.cpuUsage(cpu0);
    const stats = { ...c.stats, wallMs: Date.now() - started, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 };
    const statsFile = process.env.TUNICOIN_WATCH_STATS;
    if (statsFile) writeFileSync(statsFile, `${JSON.stringify(stats)}\n`);
    return { interrupted, stats };
  } finally {
    io.stdout.off('resize', onResize);
    if (onTerm) process.off('SIGTERM', onTerm);
    screen.unmount();
    io.stdout.write(ALT_SCREEN_OFF);
  }
}
