/**
 * Find a strategy: a built-in id (`ema_crossover`), or a file path (`./my-strategy.js` or `.ts`)
 * whose module exports the strategy as `default` or `strategy`. TypeScript files are compiled
 * with esbuild on the fly. Built-ins run in this thread (the fast path); a file runs in a
 * worker thread behind a synchronous proxy with a time limit per call (strategy-worker.ts), and
 * its parameter specs are checked before anything uses them.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NotFoundError, TunicoinError, UsageError } from '../core/errors.ts';
import { BUILTIN_STRATEGIES } from '../core/strategy/builtin.ts';
import { checkParamSpecs } from '../core/strategy/params.ts';
import type { Strategy } from '../core/strategy/types.ts';
import { loadWorkerStrategy } from './strategy-worker.ts';

export interface LoadOptions {
  /** Time limit per call of a user strategy file (a candle), ms; default 1 s. */
  readonly timeoutMs?: number;
}

export const DEFAULT_STRATEGY_TIMEOUT_MS = 1000;
let defaultTimeoutMs = DEFAULT_STRATEGY_TIMEOUT_MS;

/** The time limit used when a caller gives none (bots loaded by `market advance`, `bot run`). */
export function setDefaultStrategyTimeout(ms: number): void {
  defaultTimeoutMs = ms;
}

export const isStrategyPath = (ref: string): boolean => /[/\\]/.test(ref) || /\.(m?js|ts)$/.test(ref);

export async function loadStrategy(ref: string, opts: LoadOptions = {}): Promise<Strategy> {
  if (!isStrategyPath(ref)) {
    const s = BUILTIN_STRATEGIES.find((b) => b.id === ref);
    if (!s) throw new NotFoundError('strategy', ref, `built in: ${BUILTIN_STRATEGIES.map((b) => b.id).join(', ')}; or pass a file path`);
    return s;
  }
  const file = resolve(ref);
  if (!existsSync(file)) throw new TunicoinError('not-found', `strategy file ${ref} does not exist`); // unknown file: exit 3
  if (!statSync(file).isFile()) throw new UsageError(`strategy file ${ref} is not a file`);
  const timeoutMs = opts.timeoutMs ?? defaultTimeoutMs;
  let strategy: Strategy;
  if (file.endsWith('.ts')) {
    const dir = mkdtempSync(join(tmpdir(), 'tunicoin-strategy-'));
    try {
      const compiled = join(dir, 'strategy.mjs');
      writeFileSync(compiled, await compileTs(file, ref));
      strategy = await loadWorkerStrategy(pathToFileURL(compiled).href, ref, { timeoutMs });
    } finally {
      rmSync(dir, { recursive: true, force: true }); // imported by then: the worker holds the module
    }
  } else {
    strategy = await loadWorkerStrategy(pathToFileURL(file).href, ref, { timeoutMs });
  }
  const problem = checkParamSpecs(strategy.params);
  if (problem) throw new UsageError(`${ref}: invalid parameter spec: ${problem}`);
  return strategy;
}

async function compileTs(file: string, ref: string): Promise<string> {
  const { build } = await import('esbuild');
  try {
    const out = await build({
      entryPoints: [file],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    return (out.outputFiles[0] as { text: string }).text;
  } catch (e) {
    throw new UsageError(`cannot load strategy file ${ref}: ${(e as Error).message.split('\n')[0]}`);
  }
}
