/** What the watch screen shows in place of the chart: the order form with its preview, and the key help. */
import { cash, priceTight as priceText } from '../render/trading.ts';
import { activeFields, formRequest, type FormField, type OrderForm } from './state.ts';
import { fitLine, plain } from './view-layout.ts';
import type { Line } from './view-types.ts';

export const HELP: ReadonlyArray<readonly [string, string]> = [
  ['b / s', 'buy / sell: order form (size, type, price, SL/TP; cost and margin before enter)'],
  ['c', "close the focused symbol's position at market"],
  ['↑ ↓  x', 'select a working order, cancel it'],
  ['tab', 'next symbol (shift-tab: previous)'],
  ['space', 'pause / run the market'],
  ['+ / -', 'faster / slower (0 = only n moves the clock)'],
  ['n', 'step one candle of the timeframe'],
  ['q', 'quit (Ctrl-C too); everything is already saved'],
];

const FIELD_LABEL: Record<FormField, string> = {
  side: 'side',
  type: 'type',
  size: 'size',
  price: 'limit price',
  stop: 'stop price',
  leverage: 'leverage',
  sl: 'stop-loss',
  tp: 'take-profit',
};

/** The form's fields two by two (side type, size leverage, price stop, SL TP), then the preview. */
export function formLines(form: OrderForm, tick: number, color: boolean, w: number): Line[] {
  const fields = activeFields(form.type);
  const value = (f: FormField): string =>
    f === 'side'
      ? `‹ ${form.side} ›`
      : f === 'type'
        ? `‹ ${form.type.replace('_', '-')} ›`
        : form[f] || (f === 'leverage' ? "(1x or the position's)" : f === 'size' ? '' : '-');
  const cell = (f: FormField): Line => {
    const active = f === form.field;
    return fitLine(
      [
        { text: `${active ? '>' : ' '} ${FIELD_LABEL[f].padEnd(12)}`, bold: active },
        { text: `${value(f)}${active && f !== 'side' && f !== 'type' ? '_' : ''}`, inverse: active },
      ],
      Math.floor(w / 2),
    );
  };
  const lines: Line[] = [];
  for (const pair of [
    ['side', 'type'],
    ['size', 'leverage'],
    ['price', 'stop'],
    ['sl', 'tp'],
  ] as const) {
    const shown = pair.filter((f) => fields.includes(f));
    if (shown.length) lines.push(shown.flatMap((f) => cell(f)));
  }
  const p = form.preview;
  const req = formRequest(form, 'a', 'i');
  const warn = (text: string): Line => [{ text, ...(color ? { color: 'yellow' as const } : {}), bold: true }];
  if (form.error) lines.push(warn(form.error));
  else if ('error' in req) lines.push(warn(req.error));
  else if (!p) lines.push(plain('…'));
  else if (p.kind === 'reject')
    lines.push([{ text: `would be rejected: ${p.reason}`, ...(color ? { color: 'red' as const } : {}), bold: true }]);
  else if (p.kind === 'fill')
    lines.push(plain(`fills ~${priceText(p.price, tick)} at ${p.leverage}x · margin ${cash(p.margin)} · fee ${cash(p.fee)}`));
  else lines.push(plain(`rests until the price is reached · margin ~${cash(p.margin)} at ${p.leverage}x`));
  lines.push([{ text: 'enter places it, esc cancels', dim: true }]);
  return lines;
}
