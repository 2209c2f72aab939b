/**
 * Parameter grids for `optimize`: `--grid fast=5:20:5` (start:end:step, end included) or
 * `--grid mode=long,long_short` (a list). Expansion is a cartesian product in a fixed order
 * (first grid varies slowest), so results are reproducible whatever runs them.
 */
import { UsageError } from '../errors.ts';
import type { ParamValue } from './types.ts';

export interface GridAxis {
  readonly name: string;
  readonly values: readonly ParamValue[];
}

const MAX_COMBINATIONS = 100_000;

export function parseGrid(spec: string): GridAxis {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(spec.trim());
  if (!m) throw new UsageError(`--grid "${spec}" is not NAME=START:END:STEP or NAME=A,B,C`, 'e.g. --grid fast=5:20:5');
  const name = m[1] as string;
  const body = m[2] as string;
  const range = /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(body);
  if (range) {
    const [start, end, step] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (!(step > 0)) throw new UsageError(`--grid ${name}: the step must be positive`);
    if (end < start) throw new UsageError(`--grid ${name}: the end (${end}) is before the start (${start})`);
    const count = Math.floor((end - start) / step + 1e-9) + 1;
    if (count > MAX_COMBINATIONS) throw new UsageError(`--grid ${name}: too many values (${count})`);
    // Decimal steps: round each value to the step's decimals so 0.1 + 0.2 gives 0.3.
    const decimals = (String(range[3]).split('.')[1] ?? '').length + (String(range[1]).split('.')[1] ?? '').length;
    return { name, values: Array.from({ length: count }, (_, k) => Number((start + k * step).toFixed(decimals))) };
  }
  if (body.includes(':')) throw new UsageError(`--grid "${spec}": a range is START:END:STEP with numbers`);
  const values = body
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (!values.length) throw new UsageError(`--grid "${spec}" has no values`);
  return { name, values: values.map((v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)) };
}

export function expandGrid(axes: readonly GridAxis[]): Array<Record<string, ParamValue>> {
  const names = new Set<string>();
  for (const a of axes) {
    if (names.has(a.name)) throw new UsageError(`--grid ${a.name} is given twice`);
    names.add(a.name);
  }
  const total = axes.reduce((p, a) => p * a.values.length, 1);
  if (total > MAX_COMBINATIONS) throw new UsageError(`the grid has ${total} combinations; at most ${MAX_COMBINATIONS}`);
  let out: Array<Record<string, ParamValue>> = [{}];
  for (const a of axes) out = out.flatMap((p) => a.values.map((v) => ({ ...p, [a.name]: v })));
  return out;
}
