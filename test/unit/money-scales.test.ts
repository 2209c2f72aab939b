/**
 * core/money.ts owns the fixed-point scales: no literal 1e6, 1e8 or 1e18 (however spelt:
 * 1_000_000, 100000000, ...) in TypeScript code anywhere else in src/. The scan blanks out
 * strings, template text and comments first, so numbers in SQL text, help text and comments do
 * not count. The few literals of the same value that are not a money scale are named constants,
 * listed here with what they are.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SCALES = new Set([1e6, 1e8, 1e18]);
const OWNER = 'src/core/money.ts';
/** file -> constants allowed to hold such a value (not a money, price or size scale). */
const ALLOWED: Record<string, readonly string[]> = {
  'src/app/backtest.ts': ['MAX_WARMUP_BARS'], // a count of candles
  'src/cli/commands/market.ts': ['MAX_CANDLE_LIMIT'], // a count of candles
  'src/market/csv-import.ts': ['NS_PER_MS'], // nanoseconds per millisecond
  'src/core/exact-int.ts': ['TEN_POW_8'], // a step of cancelling decimal zeros
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * `code` with the text of strings, template literals (their `${...}` code kept) and comments
 * blanked out, line breaks kept. A small scanner, not a parser: regular expression literals are
 * read as code (none in src/ holds a scale).
 */
function codeOnly(code: string): string {
  let out = '';
  let i = 0;
  const braces: number[] = []; // for each open `${`, the brace depth it started at
  let depth = 0;
  const blank = (c: string) => (c === '\n' ? '\n' : ' ');
  const skipQuoted = (q: string): void => {
    out += ' ';
    i++;
    while (i < code.length && code[i] !== q) {
      if (code[i] === '\\') {
        out += blank(code[i] as string);
        i++;
      }
      if (i < code.length) {
        out += blank(code[i] as string);
        i++;
      }
    }
    out += ' ';
    i++;
  };
  /** Template text from i (just after ` or }) to the closing ` or the next ${. */
  const templateText = (): void => {
    while (i < code.length && code[i] !== '`') {
      if (code[i] === '\\') {
        out += '  ';
        i += 2;
        continue;
      }
      if (code[i] === '$' && code[i + 1] === '{') {
        out += '${';
        i += 2;
        braces.push(depth);
        depth++;
        return;
      }
      out += blank(code[i] as string);
      i++;
    }
    out += ' ';
    i++;
  };
  while (i < code.length) {
    const c = code[i] as string;
    const next = code[i + 1];
    if (c === '/' && next === '/') {
      while (i < code.length && code[i] !== '\n') {
        out += ' ';
        i++;
      }
      continue;
    }
    if (c === '/' && next === '*') {
      const stop = code.indexOf('*/', i + 2);
      const end = stop < 0 ? code.length : stop + 2;
      out += code.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
      continue;
    }
    if (c === '/' && /[(,=:[!&|?{};+\-*%<>~^]$|^$/.test(out.trimEnd().slice(-1))) {
      // a regular expression literal (after an operator or an opening bracket): blanked like a string
      let inClass = false;
      out += ' ';
      i++;
      while (i < code.length && code[i] !== '\n' && (code[i] !== '/' || inClass)) {
        if (code[i] === '\\') {
          out += ' ';
          i++;
        } else if (code[i] === '[') inClass = true;
        else if (code[i] === ']') inClass = false;
        out += ' ';
        i++;
      }
      out += ' ';
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      skipQuoted(c);
      continue;
    }
    if (c === '`') {
      out += ' ';
      i++;
      templateText();
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      depth--;
      if (braces.length && braces[braces.length - 1] === depth) {
        braces.pop();
        out += '}';
        i++;
        templateText();
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

const NUMBER = /(?<![\w$.])\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?n?(?![\w$])/g;

/** Literals with a scale's value in `code`, as "line: text", except the allowed constants. */
export function scaleLiterals(code: string, allowed: readonly string[] = []): string[] {
  const found: string[] = [];
  codeOnly(code)
    .split('\n')
    .forEach((line, k) => {
      for (const m of line.matchAll(NUMBER)) {
        const text = m[0];
        const value = Number(text.replace(/_/g, '').replace(/n$/, ''));
        if (!SCALES.has(value)) continue;
        const named = allowed.some((name) => new RegExp(`\\bconst ${name} = ${text};`).test(line));
        if (!named) found.push(`${k + 1}: ${text}`);
      }
    });
  return found;
}

describe('money scales live in core/money.ts', () => {
  it('the scan finds every spelling in code and none in strings or comments', () => {
    const code = [
      'const a = x / 1e6;',
      'const b = y * 100_000_000;',
      'const c = 1000000 + 1E8;',
      'const d = 10n ** 18n + 1_000_000n;',
      'const s = `SELECT fill_price / 1e8 FROM orders`;',
      "const t = 'default 1000000';",
      '// 1e6 in a comment',
      'const OK = 1_000_000;',
      'const NOT_OK = 1e6;',
      "const u = `size ${q / 1e8} of ${`${x.replace(/'/g, \"''\")} ${1e6}`}`; const v = 1e8;",
      'const w = a / b / 1e6;',
    ].join('\n');
    expect(scaleLiterals(code, ['OK'])).toEqual([
      '1: 1e6',
      '2: 100_000_000',
      '3: 1000000',
      '3: 1E8',
      '4: 1_000_000n',
      '9: 1e6',
      '10: 1e8',
      '10: 1e6',
      '10: 1e8',
      '11: 1e6',
    ]);
  });

  it('no literal scale in src/ outside core/money.ts (SQL text aside)', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(join(ROOT, 'src'))) {
      const rel = relative(ROOT, file).split(sep).join('/');
      if (rel === OWNER) continue;
      for (const hit of scaleLiterals(readFileSync(file, 'utf8'), ALLOWED[rel] ?? [])) offenders.push(`${rel}:${hit}`);
    }
    expect(offenders, 'use MONEY_SCALE, PRICE_SCALE, QTY_SCALE, PPM_SCALE, PNL_DIVISOR or the conversions of core/money.ts').toEqual([]);
  });
});
