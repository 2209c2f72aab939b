/** Tables for humans (cli-table3). Pure: data in, string out. */
import Table from 'cli-table3';
import type { Style } from './style.ts';

export type Align = 'left' | 'right' | 'center';

export interface Column { readonly header: string; readonly align?: Align }

export function renderTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>, style: Style): string {
  const table = new Table({
    head: columns.map((c) => style.bold(c.header)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: [], border: style.enabled ? ['grey'] : [], compact: false },
  });
  for (const r of rows) table.push([...r]);
  return table.toString();
}

/** Two-column key/value table. */
export function renderKeyValue(pairs: ReadonlyArray<readonly [string, string]>, style: Style): string {
  const table = new Table({ style: { head: [], border: style.enabled ? ['grey'] : [] } });
  for (const [k, v] of pairs) table.push([style.bold(k), v]);
  return table.toString();
}
