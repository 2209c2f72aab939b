/**
 * Pretty JSON (`JSON.stringify(value, null, 2)`) of a long list of rows, written a piece at a
 * time instead of as one string: a backtest's trade list runs to tens of thousands of rows.
 * Each piece is JSON.stringify's own text of a slice of the rows, re-indented to its depth, so
 * the pieces joined are the text of the whole list.
 */

/**
 * The pretty JSON array of `count` rows (`rowAt(k)`), nested `depth` levels deep, handed to
 * `emit` in pieces of `chunk` rows; every piece but the last ends with a newline.
 */
export function emitJsonArray(
  count: number,
  rowAt: (k: number) => unknown,
  depth: number,
  emit: (text: string) => void,
  chunk = 1000,
): void {
  if (count === 0) {
    emit('[]');
    return;
  }
  const pad = '  '.repeat(depth);
  const rows: unknown[] = [];
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    rows.length = 0;
    for (let k = from; k < to; k++) rows.push(rowAt(k));
    // "[\n" + the elements' lines + "\n]": the lines, each indented `depth` levels more (JSON strings hold no raw newline)
    let body = JSON.stringify(rows, null, 2).slice(2, -2);
    if (depth > 0) body = pad + body.replace(/\n/g, `\n${pad}`);
    emit(`${from === 0 ? '[\n' : ''}${body}${to < count ? ',\n' : `\n${pad}]`}`);
  }
}
