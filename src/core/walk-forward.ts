/**
 * Out-of-sample research: where a sweep is trained and where its choice is tested.
 *
 * - `--train P%` splits the range in time: the first P% (train) ranks the combinations, the rest
 *   (test) runs only the best of them. The test run starts flat, with no position carried over
 *   from the train part.
 * - `--walk-forward N --window D` rolls that split: N windows of length D, each split P% / (100-P)%
 *   (70% by default); a window starts one test length after the previous one, and the last one
 *   ends at the end of the range, so the N test parts follow each other without overlap.
 * - `--min-trades N` leaves combinations with fewer closed trades out of the ranking (a one-trade
 *   run can top a Calmar ranking by luck); they are still reported, as excluded.
 */

export interface Span {
  readonly from: number;
  readonly to: number;
}
export interface Split {
  readonly train: Span;
  readonly test: Span;
}

/** Split [from, to] at `trainPct` percent of its duration (the test part starts one ms after the train part). */
export function trainTestSplit(range: Span, trainPct: number): Split {
  const cut = range.from + Math.floor(((range.to - range.from) * trainPct) / 100);
  return { train: { from: range.from, to: cut }, test: { from: cut + 1, to: range.to } };
}

/**
 * The walk-forward windows over `range`, oldest first; null when the range is shorter than the
 * N windows need (`needed` says how long it must be).
 */
export function walkForwardWindows(
  range: Span,
  windows: number,
  windowMs: number,
  trainPct: number,
): { readonly splits: Split[]; readonly needed: number } {
  const testMs = windowMs - Math.floor((windowMs * trainPct) / 100);
  const needed = windowMs + (windows - 1) * testMs;
  const splits: Split[] = [];
  if (range.to - range.from + 1 < needed) return { splits, needed };
  for (let k = 0; k < windows; k++) {
    const end = range.to - (windows - 1 - k) * testMs;
    splits.push(trainTestSplit({ from: end - windowMs + 1, to: end }, trainPct));
  }
  return { splits, needed };
}

/** Which rows may be ranked: those with at least `minTrades` trades; the others with the reason. */
export function minTradesFilter<T extends { readonly trades: number }>(
  rows: readonly T[],
  minTrades: number,
): { readonly eligible: T[]; readonly excluded: Array<{ readonly row: T; readonly reason: string }> } {
  const eligible: T[] = [];
  const excluded: Array<{ row: T; reason: string }> = [];
  for (const r of rows) {
    if (r.trades >= minTrades) eligible.push(r);
    else excluded.push({ row: r, reason: `${r.trades} trade(s), fewer than --min-trades ${minTrades}` });
  }
  return { eligible, excluded };
}
