/**
 * Every interactive prompt goes through this module (clack), so tests mock one thing and the
 * rest of the CLI never touches the terminal directly. Only used when stdin/stdout are a TTY.
 * clack (and node:readline under it) loads on the first prompt, not at every start-up.
 */
import { UsageError } from '../core/errors.ts';

type Clack = typeof import('@clack/prompts');
let clackLoaded: Promise<Clack> | undefined;
const loadClack = (): Promise<Clack> => (clackLoaded ??= import('@clack/prompts'));

function orCancel<T>(clack: Clack, v: unknown): T {
  if (clack.isCancel(v)) throw new UsageError('canceled');
  return v as T;
}

export async function askOrderDetails(known: {
  side?: string;
  symbol?: string;
  size?: string;
}): Promise<{ side: string; symbol: string; size: string }> {
  const clack = await loadClack();
  const side =
    known.side ??
    orCancel(
      clack,
      await clack.select({
        message: 'Side',
        options: [
          { value: 'buy', label: 'buy' },
          { value: 'sell', label: 'sell' },
        ],
      }),
    );
  const symbol = known.symbol ?? orCancel(clack, await clack.text({ message: 'Symbol', placeholder: 'BTC-USD' }));
  const size = known.size ?? orCancel(clack, await clack.text({ message: 'Size (contracts)', placeholder: '0.01' }));
  return { side: String(side), symbol: String(symbol), size: String(size) };
}

export async function confirm(message: string): Promise<boolean> {
  const clack = await loadClack();
  return orCancel<boolean>(clack, await clack.confirm({ message }));
}

/** Yes/no before something that cannot be undone: "No" is the default, the prompt is on stderr. */
export async function confirmDestructive(message: string): Promise<boolean> {
  const clack = await loadClack();
  return orCancel<boolean>(clack, await clack.confirm({ message, initialValue: false, output: process.stderr }));
}

/** A password, typed without echo (prompt on stderr: stdout stays data). */
export async function askPassword(message: string): Promise<string> {
  const clack = await loadClack();
  return String(orCancel(clack, await clack.password({ message, output: process.stderr })));
}

/** A short visible answer, e.g. a 2FA code (prompt on stderr). */
export async function askText(message: string, placeholder?: string): Promise<string> {
  const clack = await loadClack();
  return String(orCancel(clack, await clack.text({ message, placeholder, output: process.stderr })));
}
