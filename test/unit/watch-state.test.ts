import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  activeFields,
  formRequest,
  initialState,
  LOG_LIMIT,
  newForm,
  nextSpeed,
  onKey,
  SPEEDS,
  withLog,
  type Key,
  type UiState,
} from '../../src/cli/watch/state.ts';

const ch = (c: string): Key => ({ name: 'char', char: c });
const ctx = { symbols: 3, orders: 2 };
const press = (s: UiState, ...keys: Key[]) =>
  keys.reduce(
    (acc, k) => {
      const t = onKey(acc.state, k, ctx);
      return { state: t.state, effects: [...acc.effects, ...t.effects] };
    },
    { state: s, effects: [] as ReturnType<typeof onKey>['effects'][number][] },
  );

describe('watch keys', () => {
  it('tab and shift-tab cycle the focused symbol', () => {
    const s = initialState(60);
    expect(press(s, { name: 'tab' }).state.focus).toBe(1);
    expect(press(s, { name: 'tab' }, { name: 'tab' }, { name: 'tab' }).state.focus).toBe(0);
    expect(press(s, { name: 'shift-tab' }).state.focus).toBe(2);
  });

  it('space pauses and resumes; --speed 0 starts paused', () => {
    expect(initialState(0).paused).toBe(true);
    const s = initialState(60);
    expect(press(s, ch(' ')).state.paused).toBe(true);
    expect(press(s, ch(' '), ch(' ')).state.paused).toBe(false);
  });

  it('+ and - step through the speeds, from and to 0', () => {
    expect(nextSpeed(60, 1)).toBe(300);
    expect(nextSpeed(60, -1)).toBe(10);
    expect(nextSpeed(1, -1)).toBe(0);
    expect(nextSpeed(0, -1)).toBe(0);
    expect(nextSpeed(86400, 1)).toBe(86400);
    expect(nextSpeed(100, 1)).toBe(300); // between steps
    expect(nextSpeed(100, -1)).toBe(60);
    const s = press(initialState(0), ch('+')).state;
    expect(s.speed).toBe(1);
    expect(press(initialState(60), ch('-')).state.speed).toBe(10);
  });

  it('speeds stay in the list and + then - comes back', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPEEDS), (sp) => {
        const up = nextSpeed(sp, 1);
        expect(SPEEDS).toContain(up);
        if (up !== sp) expect(nextSpeed(up, -1)).toBe(sp);
      }),
    );
  });

  it('q quits, ctrl-c quits as an interruption, n steps, c closes, x cancels the selection', () => {
    const s = initialState(60);
    expect(press(s, ch('q')).effects).toEqual([{ kind: 'quit', interrupted: false }]);
    expect(press(s, { name: 'ctrl-c' }).effects).toEqual([{ kind: 'quit', interrupted: true }]);
    expect(press(s, ch('n')).effects).toEqual([{ kind: 'step' }]);
    expect(press(s, ch('c')).effects).toEqual([{ kind: 'close' }]);
    expect(press(s, { name: 'down' }, { name: 'down' }, { name: 'down' }, ch('x')).effects).toEqual([{ kind: 'cancel', index: 1 }]);
    expect(onKey(s, ch('x'), { symbols: 3, orders: 0 }).effects).toEqual([]);
  });

  it('? shows the keys; any key closes them', () => {
    const s = press(initialState(60), ch('?')).state;
    expect(s.help).toBe(true);
    expect(press(s, ch('z')).state.help).toBe(false);
  });

  it('b opens the buy form; digits edit the size; enter places; esc closes', () => {
    const r = press(initialState(60), ch('b'), ch('0'), ch('.'), ch('2'), ch('5'), { name: 'backspace' });
    expect(r.state.form?.side).toBe('buy');
    expect(r.state.form?.size).toBe('0.2');
    expect(r.effects.every((e) => e.kind === 'preview')).toBe(true);
    // letters do not land in a number field, and q does not quit inside the form
    const q = press(r.state, ch('q'), ch('x'));
    expect(q.effects).toEqual([]);
    expect(q.state.form?.size).toBe('0.2');
    expect(press(r.state, { name: 'return' }).effects).toEqual([{ kind: 'place' }]);
    expect(press(r.state, { name: 'escape' }).state.form).toBeNull();
  });

  it('the form visits only the fields of its order type', () => {
    expect(activeFields('market')).toEqual(['side', 'type', 'size', 'leverage', 'sl', 'tp']);
    expect(activeFields('limit')).toContain('price');
    expect(activeFields('stop')).toContain('stop');
    expect(activeFields('stop_limit')).toEqual(['side', 'type', 'size', 'price', 'stop', 'leverage', 'sl', 'tp']);
    // s opens a sell form; up to the type, right: limit; tab twice from type -> size -> price
    let s = press(initialState(60), ch('s'), { name: 'up' }, { name: 'right' }).state;
    expect(s.form?.side).toBe('sell');
    expect(s.form?.type).toBe('limit');
    s = press(s, { name: 'tab' }, { name: 'tab' }, ch('9')).state;
    expect(s.form?.field).toBe('price');
    expect(s.form?.price).toBe('9');
  });

  it('formRequest builds the engine order or says what is missing', () => {
    expect(formRequest(newForm('buy'), 'a', 'i')).toEqual({ error: 'enter the size' });
    expect(formRequest({ ...newForm('buy'), size: '0.1', type: 'limit' }, 'a', 'i')).toEqual({ error: 'enter the price' });
    expect(formRequest({ ...newForm('buy'), size: '0' }, 'a', 'i')).toEqual({ error: 'size must be positive' });
    expect(formRequest({ ...newForm('buy'), size: '1.2.3' }, 'a', 'i')).toEqual({ error: 'size is not a number' });
    const r = formRequest({ ...newForm('sell'), size: '0.5', sl: '52000', tp: '45000', leverage: '3' }, 'acct', 'inst');
    expect(r).toEqual({
      request: {
        accountId: 'acct',
        instrumentId: 'inst',
        side: 'sell',
        type: 'market',
        size: 50_000_000,
        price: null,
        stopPrice: null,
        leverage: 3,
        stopLoss: 5_200_000_000_000,
        takeProfit: 4_500_000_000_000,
        source: 'manual',
        fillNow: true,
      },
    });
    // a price typed for a limit order is ignored once the type is market again
    const m = formRequest({ ...newForm('buy'), size: '1', price: '10' }, 'a', 'i');
    expect('request' in m && m.request.price).toBe(null);
  });

  it('the log keeps the latest entries', () => {
    let s = initialState(60);
    for (let i = 0; i < LOG_LIMIT + 5; i++) s = withLog(s, [{ time: i, kind: 'info', text: String(i) }]);
    expect(s.log).toHaveLength(LOG_LIMIT);
    expect(s.log[0]?.text).toBe('5');
  });
});
