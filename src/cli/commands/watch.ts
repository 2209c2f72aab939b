/** `watch [SYMBOL...]`: the live trading screen. Ink is loaded only here, after the checks. */
import { TunicoinError, UsageError } from '../../core/errors.ts';
import { DAY_MS, formatDuration, toIso } from '../../core/time.ts';
import { resolveAccountId } from '../../app/paper.ts';
import { accountName } from '../../store/accounts.ts';
import { readClock } from '../../store/clock.ts';
import { findInstrument, listInstruments, type Instrument } from '../../store/instruments.ts';
import { parsePositiveInt, parseTimeframe } from '../args.ts';
import type { Context } from '../context.ts';

export interface WatchFlags {
  speed?: string;
  account?: string;
  timeframe?: string;
}

/** --speed: simulated seconds per wall second, 0 (paused) up to one simulated day per second. */
export function parseSpeed(text: string | undefined): number {
  if (text === undefined) return 60;
  // simulated seconds per wall second: 0 (paused) up to one simulated day per second
  return parsePositiveInt(text.trim().replace(/x$/i, ''), '--speed', { min: 0, max: DAY_MS / 1000 });
}

type Tty = NodeJS.WriteStream | NodeJS.ReadStream;

export async function watch(
  ctx: Context,
  symbols: readonly string[],
  flags: WatchFlags,
  onInterrupt: (fn: () => void) => void,
): Promise<void> {
  const speed = parseSpeed(flags.speed);
  const timeframe = parseTimeframe(flags.timeframe ?? '1m');
  const stdin = process.stdin as Tty;
  if (ctx.json || !(ctx.out as Partial<Tty>).isTTY || !stdin.isTTY) {
    throw new UsageError(
      `tunicoin watch is a full-screen view and needs a terminal${ctx.json ? ' (there is no --json screen)' : ''}`,
      'to advance the market from a script use `tunicoin market advance 1h --json`',
    );
  }
  const store = await ctx.store();
  const accountId = resolveAccountId(store, flags.account);
  const name = accountName(store, accountId) ?? accountId.slice(0, 8);
  const seen = new Set<string>();
  const instruments: Instrument[] = (symbols.length ? symbols.map((s) => findInstrument(store, s)) : listInstruments(store)).filter(
    (i) => !seen.has(i.id) && seen.add(i.id),
  );
  if (instruments.length === 0) throw new UsageError('there are no instruments to watch', 'run `tunicoin seed` first');
  const from = readClock(store);
  const { runWatchScreen } = await import('../watch/run.ts');
  const out = await runWatchScreen(
    { stdout: process.stdout, stdin: process.stdin, stderr: process.stderr },
    { store, wallNow: ctx.now, accountId, accountName: name, instruments, timeframe, speed, color: ctx.style.enabled },
    onInterrupt,
  );
  const to = readClock(store);
  ctx.note(`watched ${to > from ? formatDuration(to - from) : 'no'} market time; the clock is at ${toIso(to)}`);
  if (out.interrupted) throw new TunicoinError('interrupted', 'interrupted; everything up to the last tick is saved');
}
