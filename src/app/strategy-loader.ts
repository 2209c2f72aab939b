/**
 * Find a strategy: a built-in id (`ema_crossover`), or a file path (`./my-strategy.js` or `.ts`)
 * whose module exports the strategy as `default` or `strategy`. TypeScript files are compiled
 * with esbuild on the fly.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NotFoundError, UsageError } from '../core/errors.ts';
import { BUILTIN_STRATEGIES } from '../core/strategy/builtin.ts';
import type { Strategy } from '../core/strategy/types.ts';

export const isStrategyPath = (ref: string): boolean => /[/\\]/.test(ref) || /\.(m?js|ts)$/.test(ref);

export async function loadStrategy(ref: string): Promise<Strategy> {
  if (!isStrategyPath(ref)) {
    const s = BUILTIN_STRATEGIES.find((b) => b.id === ref);
    if (!s) throw new NotFoundError('strategy', ref, `built in: ${BUILTIN_STRATEGIES.map((b) => b.id).join(', ')}; or pass a file path`);
    return s;
  }
  const file = resolve(ref);
  if (!existsSync(file)) throw new UsageError(`strategy file ${ref} does not exist`);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } catch (e) {
    throw new UsageError(`cannot load strategy file ${ref}: ${(e as Error).message.split('\n')[0]}`);
  }
  const candidate = (mod.default ?? mod.strategy) as Partial<Strategy> | undefined;
  if (!candidate || typeof candidate !== 'object' || typeof candidate.id !== 'string' || typeof candidate.create !== 'function' || !Array.isArray(candidate.params)) {
    throw new UsageError(`${ref} does not export a strategy`, 'export default { id, description, params: [], create(params) { return { warmup, onCandle, explain } } }');
  }
  return candidate as Strategy;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  if (!file.endsWith('.ts')) return await import(pathToFileURL(file).href) as Record<string, unknown>;
  const { build } = await import('esbuild');
  const out = await build({ entryPoints: [file], bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, logLevel: 'silent' });
  const dir = mkdtempSync(join(tmpdir(), 'tunicoin-strategy-'));
  const compiled = join(dir, 'strategy.mjs');
  try {
    writeFileSync(compiled, (out.outputFiles[0] as { text: string }).text);
    return await import(pathToFileURL(compiled).href) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
