/** `ledger` (list postings) and `ledger verify`. */
import { TunicoinError, UsageError } from '../../core/errors.ts';
import { ENTRY_TYPES, type EntryType } from '../../core/ledger.ts';
import { resolveAccountId } from '../../app/paper.ts';
import { latestEntries } from '../../store/ledger.ts';
import { storageChecks, verifyLedger } from '../../store/verify.ts';
import { parsePositiveInt } from '../args.ts';
import type { Context } from '../context.ts';
import { renderCsv } from '../../core/csv.ts';
import { renderJson } from '../render/json.ts';
import { renderTable } from '../render/table.ts';
import { cash, moneyJson, shortId } from '../render/trading.ts';

export async function listLedger(ctx: Context, flags: { type?: string; limit?: string; format?: string; account?: string }): Promise<void> {
  const type = flags.type;
  if (type !== undefined && !ENTRY_TYPES.includes(type as EntryType))
    throw new UsageError(`unknown --type "${type}"`, `use one of ${ENTRY_TYPES.join(', ')}`);
  const limit = flags.limit === undefined ? 50 : parsePositiveInt(flags.limit, '--limit');
  const format = flags.format ?? (ctx.json ? 'json' : 'table');
  if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`unknown --format "${format}"`, 'use table, json or csv');
  const store = await ctx.store();
  const accountId = resolveAccountId(store, flags.account);
  const rows = latestEntries(store, accountId, type, limit);
  const data = rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    journalId: r.journal_id,
    time: r.created_at,
    type: r.entry_type,
    amount: moneyJson(r.amount),
    balanceAfter: moneyJson(r.balance_after),
    currency: r.currency,
    orderId: r.order_id,
    positionId: r.position_id,
    description: r.description,
  }));
  if (format === 'json') {
    ctx.print(renderJson(data));
    return;
  }
  if (format === 'csv') {
    ctx.out.write(
      renderCsv(
        ['seq', 'time', 'type', 'amount', 'balance_after', 'currency', 'journal_id', 'order_id', 'position_id', 'description'],
        data.map((d) => [d.seq, d.time, d.type, d.amount, d.balanceAfter, d.currency, d.journalId, d.orderId, d.positionId, d.description]),
      ),
    );
    return;
  }
  if (rows.length === 0) {
    ctx.note('no ledger entries');
    return;
  }
  ctx.print(
    renderTable(
      ['#', 'time', 'type', 'amount', 'balance', 'order', 'description'].map((h, k) => ({
        header: h,
        align: k === 3 || k === 4 ? ('right' as const) : ('left' as const),
      })),
      rows.map((r) => [
        String(r.seq),
        r.created_at.slice(0, 16).replace('T', ' '),
        r.entry_type,
        cash(r.amount, ctx.style, true),
        cash(r.balance_after),
        r.order_id ? shortId(store, 'orders', r.order_id) : '',
        r.description ?? '',
      ]),
      ctx.style,
    ),
  );
}

export async function verify(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const checks = verifyLedger(store);
  checks.push(...storageChecks(store));
  const broken = checks.filter((c) => !c.ok);
  if (ctx.json) ctx.print(renderJson({ ok: broken.length === 0, checks }));
  else {
    for (const c of checks) ctx.print(`${c.ok ? ctx.style.chalk.green('ok  ') : ctx.style.chalk.red('FAIL')} ${c.name}: ${c.detail}`);
  }
  if (broken.length)
    throw new TunicoinError(
      'integrity',
      `ledger verify found ${broken.length} broken invariant(s): ${broken.map((c) => c.name).join('; ')}`,
    );
  if (!ctx.json) ctx.note(`all ${checks.length} checks passed`);
}
