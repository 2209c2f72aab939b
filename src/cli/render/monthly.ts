/** Monthly returns as a year x month grid (compounded to a yearly figure). */
import type { MonthlyReturn } from '../../core/metrics.ts';

export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface YearRow {
  readonly year: string;
  readonly months: Array<number | null>;
  readonly total: number;
}

export function monthlyTable(months: readonly MonthlyReturn[]): YearRow[] {
  const years = new Map<string, Array<number | null>>();
  for (const m of months) {
    const [y, mm] = m.month.split('-') as [string, string];
    const row = years.get(y) ?? Array.from({ length: 12 }, () => null);
    row[Number(mm) - 1] = m.returnPct;
    years.set(y, row);
  }
  return [...years.entries()].map(([year, row]) => ({
    year,
    months: row,
    total: (row.reduce<number>((acc, r) => acc * (1 + (r ?? 0) / 100), 1) - 1) * 100,
  }));
}
