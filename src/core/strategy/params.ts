/** Parameter parsing and validation against a strategy's specs (`--param fast=10`). */
import { UsageError } from '../errors.ts';
import type { Params, ParamValue, Strategy } from './types.ts';

/** Parse `k=v` pairs into raw strings; duplicates and malformed pairs are errors. */
export function parseParamPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(p.trim());
    if (!m) throw new UsageError(`--param "${p}" is not NAME=VALUE`, 'e.g. --param fast=10');
    const [, k, v] = m as unknown as [string, string, string];
    if (k in out) throw new UsageError(`--param ${k} is given twice`);
    out[k] = v;
  }
  return out;
}

/** One parameter value checked against its spec (no cross-parameter checks). */
export function checkParam(strategy: Strategy, k: string, v: string | number): ParamValue {
  const spec = strategy.params.find((s) => s.name === k);
  if (!spec) {
    const known = strategy.params.map((s) => s.name).join(', ') || 'none';
    throw new UsageError(`unknown parameter "${k}" for ${strategy.id}`, `its parameters: ${known}`);
  }
  if (spec.kind === 'enum') {
    const s = String(v);
    if (!spec.choices?.includes(s)) throw new UsageError(`${strategy.id}: ${k} must be one of ${spec.choices?.join(', ')}, got "${s}"`);
    return s;
  }
  const n = typeof v === 'number' ? v : Number(v);
  if (typeof v === 'string' && (v.trim() === '' || !Number.isFinite(n))) throw new UsageError(`${strategy.id}: ${k} must be a number, got "${v}"`);
  if (spec.kind === 'int' && !Number.isInteger(n)) throw new UsageError(`${strategy.id}: ${k} must be a whole number, got ${v}`);
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    throw new UsageError(`${strategy.id}: ${k} must be between ${spec.min ?? '-inf'} and ${spec.max ?? 'inf'}, got ${n}`);
  }
  return n;
}

/** Defaults overlaid with the given values, each checked against its spec, then cross-checked. */
export function resolveParams(strategy: Strategy, raw: Readonly<Record<string, string | number>>): Params {
  const out: Record<string, ParamValue> = {};
  for (const spec of strategy.params) out[spec.name] = spec.default;
  for (const [k, v] of Object.entries(raw)) out[k] = checkParam(strategy, k, v);
  const problem = strategy.validate?.(out) ?? null;
  if (problem) throw new UsageError(`${strategy.id}: ${problem}`);
  return out;
}

export const num = (p: Params, k: string): number => p[k] as number;
export const str = (p: Params, k: string): string => p[k] as string;
