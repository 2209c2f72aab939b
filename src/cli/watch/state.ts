/**
 * The screen's own state (focus, speed, pause, the order form, the log) and how keys change it.
 * Pure: `onKey` returns the next state and the effects to carry out (place an order, advance,
 * quit); the controller performs them through the app use cases and feeds the results back.
 */
import type { OrderType, Side } from '../../core/fill.ts';
import { parsePrice, parseQty, type Price } from '../../core/money.ts';
import type { PaperOrderRequest } from '../../app/watch.ts';

/** Speeds `+`/`-` step through (simulated seconds per wall second); 0 = the clock moves only with `n`. */
export const SPEEDS: readonly number[] = [0, 1, 10, 60, 300, 900, 3600, 14400, 86400];

export const FORM_FIELDS = ['side', 'type', 'size', 'price', 'stop', 'leverage', 'sl', 'tp'] as const;
export type FormField = (typeof FORM_FIELDS)[number];
const TEXT_FIELDS: readonly FormField[] = ['size', 'price', 'stop', 'leverage', 'sl', 'tp'];
export const FORM_TYPES: readonly OrderType[] = ['market', 'limit', 'stop', 'stop_limit'];

/** What the preview of the form's order says (computed by the controller on a dry run). */
export type FormPreview =
  | { readonly kind: 'fill'; readonly price: Price; readonly margin: number; readonly fee: number; readonly leverage: number }
  | { readonly kind: 'rest'; readonly margin: number; readonly leverage: number }
  | { readonly kind: 'reject'; readonly reason: string };

export interface OrderForm {
  readonly side: Side;
  readonly type: OrderType;
  readonly size: string;
  readonly price: string;
  readonly stop: string;
  readonly leverage: string;
  readonly sl: string;
  readonly tp: string;
  readonly field: FormField;
  readonly preview: FormPreview | null;
  /** Why the form cannot be sent as it is (shown instead of the preview). */
  readonly error: string | null;
}

export type LogKind = 'fill' | 'liquidation' | 'funding' | 'bot' | 'order' | 'info' | 'error';
export interface LogEntry {
  readonly time: number;
  readonly kind: LogKind;
  readonly text: string;
}

export interface UiState {
  /** Index of the focused symbol in the watch list. */
  readonly focus: number;
  readonly speed: number;
  readonly paused: boolean;
  readonly form: OrderForm | null;
  readonly help: boolean;
  /** Index into the working orders shown (for `x`). */
  readonly selected: number;
  readonly log: readonly LogEntry[];
  /** Set when the market cannot move further (end of replayed data). */
  readonly stopped: string | null;
}

export const LOG_LIMIT = 200;

export function initialState(speed: number): UiState {
  return { focus: 0, speed, paused: speed === 0, form: null, help: false, selected: 0, log: [], stopped: null };
}

/** A key, as the terminal layer reports it. */
export type Key =
  | { readonly name: 'char'; readonly char: string }
  | { readonly name: 'tab' | 'shift-tab' | 'return' | 'escape' | 'backspace' | 'up' | 'down' | 'left' | 'right' | 'ctrl-c' };

export type Effect =
  | { readonly kind: 'quit'; readonly interrupted: boolean }
  | { readonly kind: 'preview' }
  | { readonly kind: 'place' }
  | { readonly kind: 'close' }
  | { readonly kind: 'cancel'; readonly index: number }
  | { readonly kind: 'step' };

export interface KeyContext {
  readonly symbols: number;
  readonly orders: number;
}

export interface Transition {
  readonly state: UiState;
  readonly effects: readonly Effect[];
}

const none = (state: UiState): Transition => ({ state, effects: [] });

export function newForm(side: Side): OrderForm {
  return { side, type: 'market', size: '', price: '', stop: '', leverage: '', sl: '', tp: '', field: 'size', preview: null, error: null };
}

/** Fields that mean something for the form's order type, in the order they are visited. */
export function activeFields(type: OrderType): FormField[] {
  return FORM_FIELDS.filter((f) =>
    f === 'price' ? type === 'limit' || type === 'stop_limit' : f === 'stop' ? type === 'stop' || type === 'stop_limit' : true,
  );
}

export function nextSpeed(speed: number, dir: 1 | -1): number {
  const i = SPEEDS.findIndex((s) => s >= speed);
  const at = i < 0 ? SPEEDS.length - 1 : i;
  // between two steps, `-` goes to the lower one
  const cur = SPEEDS[at] === speed ? at : dir < 0 ? at : at - 1;
  return SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, cur + dir))] as number;
}

export function onKey(state: UiState, key: Key, ctx: KeyContext): Transition {
  if (key.name === 'ctrl-c') return { state, effects: [{ kind: 'quit', interrupted: true }] };
  if (state.form) return onFormKey(state, state.form, key);
  if (state.help) {
    // any key closes the help; q still quits
    if (key.name === 'char' && key.char === 'q') return { state, effects: [{ kind: 'quit', interrupted: false }] };
    return none({ ...state, help: false });
  }
  const maxSel = Math.max(0, ctx.orders - 1);
  switch (key.name) {
    case 'tab':
      return none({ ...state, focus: ctx.symbols ? (state.focus + 1) % ctx.symbols : 0 });
    case 'shift-tab':
      return none({ ...state, focus: ctx.symbols ? (state.focus + ctx.symbols - 1) % ctx.symbols : 0 });
    case 'up':
      return none({ ...state, selected: Math.max(0, Math.min(maxSel, state.selected - 1)) });
    case 'down':
      return none({ ...state, selected: Math.min(maxSel, state.selected + 1) });
    case 'char':
      break;
    default:
      return none(state);
  }
  switch (key.char) {
    case 'q':
      return { state, effects: [{ kind: 'quit', interrupted: false }] };
    case 'b':
    case 's':
      return { state: { ...state, form: newForm(key.char === 'b' ? 'buy' : 'sell') }, effects: [{ kind: 'preview' }] };
    case 'c':
      return { state, effects: [{ kind: 'close' }] };
    case 'x':
      return ctx.orders > 0 ? { state, effects: [{ kind: 'cancel', index: Math.min(state.selected, maxSel) }] } : none(state);
    case ' ':
      return none({ ...state, paused: !state.paused });
    case '+':
    case '=': {
      const speed = nextSpeed(state.speed, 1);
      return none({ ...state, speed, paused: speed === 0 ? state.paused : false });
    }
    case '-':
    case '_':
      return none({ ...state, speed: nextSpeed(state.speed, -1) });
    case 'n':
    case '.':
      return { state, effects: [{ kind: 'step' }] };
    case '?':
    case 'h':
      return none({ ...state, help: true });
    default:
      return none(state);
  }
}

function onFormKey(state: UiState, form: OrderForm, key: Key): Transition {
  const fields = activeFields(form.type);
  const at = Math.max(0, fields.indexOf(form.field));
  const edit = (f: OrderForm): Transition => ({
    state: { ...state, form: { ...f, preview: null, error: null } },
    effects: [{ kind: 'preview' }],
  });
  const move = (d: number) => none({ ...state, form: { ...form, field: fields[(at + d + fields.length) % fields.length] as FormField } });
  switch (key.name) {
    case 'escape':
      return none({ ...state, form: null });
    case 'return':
      return { state, effects: [{ kind: 'place' }] };
    case 'tab':
    case 'down':
      return move(1);
    case 'shift-tab':
    case 'up':
      return move(-1);
    case 'left':
    case 'right': {
      const d = key.name === 'left' ? -1 : 1;
      if (form.field === 'side') return edit({ ...form, side: form.side === 'buy' ? 'sell' : 'buy' });
      if (form.field === 'type') {
        const type = FORM_TYPES[(FORM_TYPES.indexOf(form.type) + d + FORM_TYPES.length) % FORM_TYPES.length] as OrderType;
        return edit({ ...form, type });
      }
      return none(state);
    }
    case 'backspace': {
      if (!TEXT_FIELDS.includes(form.field)) return none(state);
      const f = form.field as 'size';
      return edit({ ...form, [f]: form[f].slice(0, -1) });
    }
    case 'char': {
      if (form.field === 'side' && (key.char === 'b' || key.char === 's' || key.char === ' ')) {
        return edit({ ...form, side: key.char === 'b' ? 'buy' : key.char === 's' ? 'sell' : form.side === 'buy' ? 'sell' : 'buy' });
      }
      if (form.field === 'type' && key.char === ' ') {
        return edit({ ...form, type: FORM_TYPES[(FORM_TYPES.indexOf(form.type) + 1) % FORM_TYPES.length] as OrderType });
      }
      if (!TEXT_FIELDS.includes(form.field) || !/^[0-9.]+$/.test(key.char)) return none(state);
      const f = form.field as 'size';
      if (form[f].length + key.char.length > 20) return none(state);
      return edit({ ...form, [f]: form[f] + key.char });
    }
    default:
      return none(state);
  }
}

/** The order the form describes, or why it cannot be sent yet. */
export function formRequest(form: OrderForm, accountId: string, instrumentId: string): { request: PaperOrderRequest } | { error: string } {
  const num = (text: string, what: string): number | string | null => {
    if (text === '') return null;
    if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) return `${what} is not a number`;
    return Number(text) > 0 ? 0 : `${what} must be positive`;
  };
  const checks: Array<[string, string, boolean]> = [
    [form.size, 'size', true],
    [form.price, 'price', form.type === 'limit' || form.type === 'stop_limit'],
    [form.stop, 'stop', form.type === 'stop' || form.type === 'stop_limit'],
    [form.leverage, 'leverage', false],
    [form.sl, 'SL', false],
    [form.tp, 'TP', false],
  ];
  for (const [text, what, required] of checks) {
    const r = num(text, what);
    if (typeof r === 'string') return { error: r };
    if (r === null && required) return { error: `enter the ${what}` };
  }
  try {
    const price = (t: string): Price | null => (t === '' ? null : parsePrice(t));
    const uses = activeFields(form.type);
    return {
      request: {
        accountId,
        instrumentId,
        side: form.side,
        type: form.type,
        size: parseQty(form.size),
        price: uses.includes('price') ? price(form.price) : null,
        stopPrice: uses.includes('stop') ? price(form.stop) : null,
        leverage: form.leverage === '' ? undefined : Number(form.leverage),
        stopLoss: price(form.sl),
        takeProfit: price(form.tp),
        source: 'manual',
        fillNow: true,
      },
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Append entries to the log, keeping the latest LOG_LIMIT. */
export function withLog(state: UiState, entries: readonly LogEntry[]): UiState {
  if (entries.length === 0) return state;
  const log = [...state.log, ...entries];
  return { ...state, log: log.length > LOG_LIMIT ? log.slice(log.length - LOG_LIMIT) : log };
}
