/**
 * Pretty JSON (`JSON.stringify(value, null, 2)`) of long lists of flat rows, written a piece at a
 * time instead of as one string: a backtest's trade list runs to tens of thousands of rows. The
 * text is the same as JSON.stringify's.
 */

/** JSON text of one value nested `depth` levels deep (its lines after the first indented to that depth). */
function valueText(v: unknown, depth: number): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v === 'boolean') return String(v);
  const text = JSON.stringify(v, null, 2) as string | undefined;
  return text === undefined ? undefined : text.replace(/\n/g, `\n${'  '.repeat(depth)}`); // JSON strings hold no raw newline
}

/** `"key": ` of the keys met so far (a trade list repeats the same few keys on every row). */
const keyTexts = new Map<string, string>();
const keyText = (k: string): string => {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = `${JSON.stringify(k)}: `;
    if (keyTexts.size < 1000) keyTexts.set(k, t);
  }
  return t;
};

/** `JSON.stringify(row, null, 2)` of a plain object, as an element nested `depth` levels deep. */
export function jsonObjectText(row: Readonly<Record<string, unknown>>, depth: number): string {
  const inner = '  '.repeat(depth + 1);
  let out = '';
  for (const k of Object.keys(row)) {
    const v = valueText(row[k], depth + 1);
    if (v === undefined) continue; // JSON.stringify leaves such keys out
    out += `${out === '' ? '{\n' : ',\n'}${inner}${keyText(k)}${v}`;
  }
  return out === '' ? '{}' : `${out}\n${'  '.repeat(depth)}}`;
}

/**
 * The pretty JSON array of `count` rows (`rowAt(k)`), nested `depth` levels deep, handed to
 * `emit` in pieces of about `chunk` rows; every piece but the last ends with a newline.
 */
export function emitJsonArray(
  count: number,
  rowAt: (k: number) => Readonly<Record<string, unknown>>,
  depth: number,
  emit: (text: string) => void,
  chunk = 1000,
): void {
  if (count === 0) {
    emit('[]');
    return;
  }
  const pad = '  '.repeat(depth + 1);
  let piece = '[\n';
  for (let k = 0; k < count; k++) {
    piece += `${pad}${jsonObjectText(rowAt(k), depth + 1)}${k < count - 1 ? ',\n' : '\n'}`;
    if ((k + 1) % chunk === 0 && k < count - 1) {
      emit(piece);
      piece = '';
    }
  }
  emit(`${piece}${'  '.repeat(depth)}]`);
}
