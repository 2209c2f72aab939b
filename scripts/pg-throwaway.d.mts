// Types of scripts/pg-throwaway.mjs (plain JavaScript, imported by the TypeScript test setup).
export interface ThrowawayPostgres {
  /** Superuser URL of the `postgres` database: postgres://tunicoin:tunicoin@127.0.0.1:PORT/postgres */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  dataDir: string;
  /** The server's version, e.g. "15.18". */
  version: string;
  /** Stops the server (immediate mode) and removes its temp dir. */
  stop: () => Promise<void>;
}
export const TEMP_PREFIX: string;
export function findPostgresBin(): string | null;
export function startThrowawayPostgres(opts?: { port?: number; watch?: boolean }): Promise<ThrowawayPostgres>;
export function stopThrowawayPostgres(dataDir: string): Promise<void>;
