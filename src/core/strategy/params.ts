/** Parameter parsing and validation against a strategy's specs (`--param fast=10`). */
import { UsageError } from '../errors.ts';
import type { ParamSpec, Params, ParamValue, Strategy } from './types.ts';

/** A plain decimal (no hex, no Infinity, no blanks): what a parameter value may be written as. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/;

/**
 * A strategy file's own parameter specs, checked before anything uses them: a name, a known
 * kind, a default that is valid for its own spec, min <= max, enum choices. Null when fine.
 */
export function checkParamSpecs(specs: unknown): string | null {
  if (!Array.isArray(specs)) return 'params must be an array';
  const seen = new Set<string>();
  for (const [k, raw] of specs.entries()) {
    if (!raw || typeof raw !== 'object') return `params[${k}] is not an object`;
    const s = raw as Partial<Record<keyof ParamSpec, unknown>>;
    if (typeof s.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(s.name))
      return `params[${k}].name must be an identifier, got ${JSON.stringify(s.name)}`;
    if (seen.has(s.name)) return `parameter ${s.name} is declared twice`;
    seen.add(s.name);
    const at = `parameter ${s.name}`;
    if (s.kind !== 'int' && s.kind !== 'number' && s.kind !== 'enum')
      return `${at}: kind must be int, number or enum, got ${JSON.stringify(s.kind)}`;
    if (s.kind === 'enum') {
      if (!Array.isArray(s.choices) || s.choices.length === 0 || !s.choices.every((c) => typeof c === 'string' && c !== ''))
        return `${at}: an enum needs choices, a list of non-empty strings`;
      if (typeof s.default !== 'string' || !s.choices.includes(s.default))
        return `${at}: default ${JSON.stringify(s.default)} is not one of its choices`;
      continue;
    }
    for (const bound of ['min', 'max'] as const) {
      const b = s[bound];
      if (b !== undefined && (typeof b !== 'number' || !Number.isFinite(b)))
        return `${at}: ${bound} must be a finite number, got ${JSON.stringify(b)}`;
    }
    const min = s.min as number | undefined;
    const max = s.max as number | undefined;
    if (min !== undefined && max !== undefined && min > max) return `${at}: min ${min} is above max ${max}`;
    const d = s.default;
    if (typeof d !== 'number' || !Number.isFinite(d)) return `${at}: default must be a finite number, got ${JSON.stringify(d)}`;
    if (s.kind === 'int' && !Number.isInteger(d)) return `${at}: default ${d} is not a whole number`;
    if ((min !== undefined && d < min) || (max !== undefined && d > max))
      return `${at}: default ${d} is outside ${min ?? '-inf'}..${max ?? 'inf'}`;
  }
  return null;
}

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
  if (typeof v === 'string' && (!DECIMAL.test(v.trim()) || !Number.isFinite(n)))
    throw new UsageError(`${strategy.id}: ${k} must be a number, got "${v}"`);
  if (!Number.isFinite(n)) throw new UsageError(`${strategy.id}: ${k} must be a finite number, got ${v}`);
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
