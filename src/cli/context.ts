/**
 * The per-command context: streams, output mode, the db (opened on first use, closed by main in
 * `finally`) and the wall clock. Handlers take a Context and never touch process.* directly,
 * so tests can run them with in-memory streams and a temp db.
 */
import type { Readable, Writable } from 'node:stream';
import { resolveDbPath, type DbPathSource } from '../store/paths.ts';
import { openStore, type Store, type OpenOptions } from '../store/db.ts';
import { makeStyle, terminalWidth, type Style } from './render/style.ts';
import { escapeControl } from '../core/text.ts';
import { setActorResolver } from '../store/actor.ts';
import { resolveActor } from '../app/current-user.ts';
import { readTokenFile } from './session-file.ts';
import { confirmOrRefuse } from './confirm.ts';
import { createRequire } from 'node:module';

/** SHA-256 of a session token; node:crypto is loaded only when a command checks a token. */
function hashToken(token: string): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(token).digest('hex');
}

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
  yes?: boolean;
  allUsers?: boolean;
}

export interface Context {
  readonly out: Writable;
  readonly err: Writable;
  /** What is piped in (passwords with --password-stdin); the process's stdin in the binary. */
  readonly stdin: Readable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** The directory relative paths are resolved against. */
  readonly cwd: string;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly interactive: boolean;
  /** `--yes`: confirmations (deletes, resets, a new folder for --db) are given. */
  readonly yes: boolean;
  readonly style: Style;
  readonly dbPath: DbPathSource;
  /** Wall clock, only for created_at stamps and default --end; the market runs on the sim clock. */
  readonly now: () => number;
  store(opts?: OpenOptions): Promise<Store>;
  /** Write a line of data to stdout. */
  print(text: string): void;
  /** Write a message line to stderr. */
  note(text: string): void;
  close(): void;
}

export interface ContextInit {
  readonly out: Writable & { isTTY?: boolean; columns?: number };
  readonly err: Writable & { isTTY?: boolean };
  /** Default: an empty stream. */
  readonly stdin?: Readable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Default: process.cwd(). */
  readonly cwd?: string | undefined;
  readonly options: GlobalOptions;
  readonly now?: () => number;
  /** The command only reads: a missing database file is an error (exit 6), never created. */
  readonly readOnly?: boolean;
}

export function createContext(init: ContextInit): Context {
  const { out, err, env, options } = init;
  const colorWanted = options.color !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
  const json = options.json === true;
  let store: Store | undefined;
  let emptyStdin: Readable | undefined;
  const style = makeStyle(colorWanted && Boolean(out.isTTY), terminalWidth(out, env));
  // Output never carries raw control characters: a name cannot clear the screen or set the title.
  const safe = (text: string) => escapeControl(text, style.enabled);
  return {
    out,
    err,
    env,
    json,
    get stdin() {
      // node:stream on first use only: most commands never read stdin
      return (
        init.stdin ?? (emptyStdin ??= (createRequire(import.meta.url)('node:stream') as typeof import('node:stream')).Readable.from([]))
      );
    },
    cwd: init.cwd ?? process.cwd(),
    verbose: options.verbose === true,
    interactive: Boolean(out.isTTY && err.isTTY) && !options.yes && !env.CI && !json,
    yes: options.yes === true,
    style,
    dbPath: resolveDbPath(options.db, env),
    now: init.now ?? (() => Date.now()),
    async store(opts) {
      if (!store) {
        // A new folder for an explicit --db/TUNICOIN_DB path is asked for (or --yes); the default place is made silently.
        const explicit = this.dbPath.from === '--db' || this.dbPath.from === 'TUNICOIN_DB';
        const opened = await openStore(this.dbPath.path, {
          ...opts,
          create: init.readOnly !== true && opts?.create !== false,
          beforeCreateFolder: explicit
            ? (dir) =>
                confirmOrRefuse(
                  this,
                  `Create the folder ${dir} for the database ${this.dbPath.path}?`,
                  `the folder ${dir} does not exist (${this.dbPath.from})`,
                )
            : undefined,
        });
        // Who acts is resolved on the first lookup of user data (store/actor.ts), never for market data.
        const fromEnv = env.TUNICOIN_TOKEN !== undefined && env.TUNICOIN_TOKEN !== '';
        const path = this.dbPath.path;
        setActorResolver(opened, () =>
          resolveActor(opened, {
            token: fromEnv ? env.TUNICOIN_TOKEN : readTokenFile(env, path),
            hashToken,
            tokenSource: fromEnv ? 'env' : 'file',
            allUsers: options.allUsers === true,
            now: this.now(),
          }),
        );
        store = opened;
        if (opts?.migrate !== false) {
          // A backtest left `running` by a process that is gone: marked failed, said once.
          const { reapInterruptedBacktests } = await import('../app/liveness.ts');
          for (const r of reapInterruptedBacktests(store, this.now()))
            this.note(`note: backtest ${r.id.slice(0, 8)} was interrupted (${r.reason}); marked failed`);
        }
      }
      return store;
    },
    print(text) {
      const t = safe(text);
      out.write(t.endsWith('\n') ? t : `${t}\n`);
    },
    note(text) {
      const t = safe(text);
      err.write(t.endsWith('\n') ? t : `${t}\n`);
    },
    close() {
      store?.close();
      store = undefined;
    },
  };
}
