/**
 * Pretty JSON (`JSON.stringify(value, null, 2)`) of a long list of rows, written a piece at a
 * time instead of as one string: a backtest's trade list runs to tens of thousands of rows.
 * Each piece is JSON.stringify's own text of a slice of the rows, stringified inside `depth`
 * wrapping arrays so that it comes out indented to its depth (no re-indenting pass), so the
 * pieces joined are the text of the whole list.
 */

/**
 * The pretty JSON array of `count` rows (`rowAt(k)`), nested `depth` levels deep, handed to
 * `emit` in pieces of `chunk` rows; every piece but the last ends with a newline. The default
 * piece (100 backtest trades: ~50 KB) stays under V8's large-object size (128 KB): its strings
 * die young, in a scavenge, instead of piling up in the large-object space until a full GC (a
 * 1m backtest's --json is 9 MB, written twice over in copies).
 */
export function emitJsonArray(
  count: number,
  rowAt: (k: number) => unknown,
  depth: number,
  emit: (text: string) => void,
  chunk = 100,
): void {
  if (count === 0) {
    emit('[]');
    return;
  }
  // [[..[rows]..]] opens with a "[\n" line per level and closes with a "\n]" line per level
  let head = 0;
  let tail = 0;
  for (let d = 0; d <= depth; d++) {
    head += 2 * d + 2;
    tail += 2 * d + 2;
  }
  const pad = '  '.repeat(depth);
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    let slice: unknown = Array.from({ length: to - from }, (_, i) => rowAt(from + i));
    for (let d = 0; d < depth; d++) slice = [slice];
    const body = JSON.stringify(slice, null, 2).slice(head, -tail); // the rows' lines, indented for `depth`
    emit(`${from === 0 ? '[\n' : ''}${body}${to < count ? ',\n' : `\n${pad}]`}`);
  }
}
