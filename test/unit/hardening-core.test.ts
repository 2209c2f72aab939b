/** Input hardening in the core: control characters, years 0000-0099, parameter specs and values, LIKE prefixes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { controlCharIn, escapeControl } from '../../src/core/text.ts';
import { parseIsoTime, toIso } from '../../src/core/time.ts';
import { checkParam, checkParamSpecs } from '../../src/core/strategy/params.ts';
import { BUILTIN_STRATEGIES } from '../../src/core/strategy/builtin.ts';
import { likePrefix } from '../../src/store/ids.ts';

describe('control characters', () => {
  it('finds them, but not tab/newline or printable text', () => {
    expect(controlCharIn('plain name éü 漢字')).toBeNull();
    expect(controlCharIn('a\tb\nc')).toBeNull();
    expect(controlCharIn('x\u001b[2J')).toBe('\u001b');
    expect(controlCharIn('\u009b31m')).toBe('\u009b');
    expect(controlCharIn('del\u007f')).toBe('\u007f');
  });
  it('escapes every escape sequence when colour is off, keeps only SGR colour when on', () => {
    expect(escapeControl('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(escapeControl('\u001b]0;pwned\u0007')).toBe('\\x1b]0;pwned\\x07');
    expect(escapeControl('\u001b[31mred\u001b[39m \u001b[2J', true)).toBe('\u001b[31mred\u001b[39m \\x1b[2J');
    expect(escapeControl('line\nnext\ttab')).toBe('line\nnext\ttab');
  });
  it('never lets a control character through (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.boolean(), (s, colour) => {
        // eslint-disable-next-line no-control-regex -- strips the colour escapes escapeControl is allowed to add
        const out = escapeControl(s, colour).replace(/\u001b\[[0-9;]*m/g, '');
        expect(controlCharIn(out)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe('years 0000-0099 are not moved to 1900-1999', () => {
  it.each([
    ['0050-03-01', '0050-03-01T00:00:00.000Z'],
    ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
    ['0099-12-31T23:59:59Z', '0099-12-31T23:59:59.000Z'],
    ['0004-02-29', '0004-02-29T00:00:00.000Z'],
    ['2024-02-29T12:30', '2024-02-29T12:30:00.000Z'],
    ['1999-12-31T10:00:00+02:00', '1999-12-31T08:00:00.000Z'],
  ])('%s', (text, iso) => {
    const t = parseIsoTime(text);
    expect(t === null ? null : toIso(t)).toBe(iso);
  });
  it.each(['0001-02-29', '2026-02-29', '2026-02-30', '2026-13-01', '2026-04-31'])('refuses %s', (text) => {
    expect(parseIsoTime(text)).toBeNull();
  });
});

describe('strategy parameter specs', () => {
  const spec = (over: Record<string, unknown>) => [{ name: 'n', kind: 'int', default: 5, min: 1, max: 10, description: '', ...over }];
  it('accepts the built-ins', () => {
    for (const s of BUILTIN_STRATEGIES) expect(checkParamSpecs(s.params)).toBeNull();
  });
  it.each([
    [spec({ default: 'abc' }), /default must be a finite number/],
    [spec({ min: 20, max: 10 }), /min 20 is above max 10/],
    [spec({ default: 50 }), /outside 1\.\.10/],
    [spec({ default: 2.5 }), /not a whole number/],
    [spec({ kind: 'float' }), /kind must be/],
    [spec({ name: 'bad name' }), /identifier/],
    [spec({ max: Infinity }), /max must be a finite number/],
    [[...spec({}), ...spec({})], /declared twice/],
    [[{ name: 'm', kind: 'enum', default: 'x', choices: ['a', 'b'], description: '' }], /not one of its choices/],
    [[{ name: 'm', kind: 'enum', default: 'a', choices: [], description: '' }], /needs choices/],
    ['nope', /must be an array/],
    [[null], /not an object/],
  ])('refuses %j', (specs, why) => {
    expect(checkParamSpecs(specs)).toMatch(why);
  });
  it('reads parameter values as plain decimals only', () => {
    const s = BUILTIN_STRATEGIES[0]!;
    const name = s.params.find((p) => p.kind === 'int')!.name;
    expect(checkParam(s, name, '10')).toBe(10);
    for (const bad of ['0x10', '1e400', 'Infinity', '', ' ', '10abc', '0b11', 'NaN'])
      expect(() => checkParam(s, name, bad)).toThrow(/must be a (finite )?number/);
  });
});

describe('LIKE prefixes', () => {
  it('escape the wildcards and the escape character', () => {
    expect(likePrefix('abcd')).toBe('abcd%');
    expect(likePrefix('%%%%')).toBe('\\%\\%\\%\\%%');
    expect(likePrefix('__')).toBe('\\_\\_%');
    expect(likePrefix('a\\b')).toBe('a\\\\b%');
  });
});
