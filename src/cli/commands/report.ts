/**
 * `report backtest|bot|account|compare`, and the `--report FILE` of `backtest` and `optimize`:
 * one self-contained HTML file per report. This module (and the page renderer with its inlined
 * charting library) is loaded only by these commands.
 */
import { spawn } from 'node:child_process';
import { ConflictError, UsageError } from '../../core/errors.ts';
import { toIso } from '../../core/time.ts';
import { checkOutput, writeReport, type OutputCheck } from '../../app/report-file.ts';
import type { ReportModel } from '../../report/model.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';

export interface ReportFlags {
  output?: string;
  open?: boolean;
}

/**
 * Check the output path before doing the work: an existing file or a missing folder is asked
 * about on a terminal, and needs --yes otherwise.
 */
export async function prepareOutput(ctx: Context, path: string, yes: boolean): Promise<OutputCheck> {
  const out = checkOutput(path, ctx.cwd);
  const ask = async (question: string): Promise<boolean> => (await import('../prompts.ts')).confirm(question);
  if (out.exists && !yes) {
    if (!ctx.interactive)
      throw new ConflictError(`${out.path} already exists`, 'pass --yes to overwrite it, or choose another file with -o');
    if (!(await ask(`${out.path} exists. Overwrite it?`))) throw new UsageError('not overwritten');
  }
  if (out.missingDir && !yes) {
    if (!ctx.interactive) throw new UsageError(`the folder ${out.missingDir} does not exist`, 'pass --yes to create it');
    if (!(await ask(`Create the folder ${out.missingDir}?`))) throw new UsageError('no folder created');
  }
  return out;
}

/**
 * Render and write a report, then say where it is: on stdout (the path, or JSON) when the
 * report is the command's output, on stderr when it comes with another command's (`--report`).
 */
export async function emitReport(ctx: Context, out: OutputCheck, model: ReportModel, open: boolean, secondary = false): Promise<void> {
  const { renderReportHtml } = await import('../../report/html.ts');
  const bytes = writeReport(out, renderReportHtml(model));
  if (secondary) ctx.note(`report written to ${out.path} (${(bytes / 1024).toFixed(0)} KiB)`);
  else if (ctx.json) ctx.print(renderJson({ kind: model.kind, path: out.path, bytes, title: model.title, banners: model.banners }));
  else {
    for (const b of model.banners) if (b.level !== 'info') ctx.note(`${b.level}: ${b.text}`);
    ctx.print(out.path);
    ctx.note(`${model.kind} report written (${(bytes / 1024).toFixed(0)} KiB); open it in a browser${open ? '' : ' or pass --open'}`);
  }
  if (open) openInBrowser(ctx, out.path);
}

function openInBrowser(ctx: Context, path: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [path]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', path]]
        : ['xdg-open', [path]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => ctx.note(`could not start ${cmd}: open ${path} yourself`));
    child.unref();
  } catch {
    ctx.note(`could not start ${cmd}: open ${path} yourself`);
  }
}

const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 40);
const nowIso = (ctx: Context): string => toIso(ctx.now());

export async function reportBacktest(ctx: Context, id: string, flags: ReportFlags, yes: boolean): Promise<void> {
  const store = await ctx.store();
  const { backtestReport } = await import('../../app/report-backtest.ts');
  const { findBacktest } = await import('../../store/reports.ts');
  const row = findBacktest(store, id); // unknown id: exit 3 before anything else
  const out = await prepareOutput(ctx, flags.output ?? `backtest-${row.id.slice(0, 8)}.html`, yes);
  await emitReport(ctx, out, await backtestReport(store, row.id, nowIso(ctx)), flags.open === true);
}

export async function reportBot(ctx: Context, name: string, flags: ReportFlags, yes: boolean): Promise<void> {
  const store = await ctx.store();
  const { botReport } = await import('../../app/report-bot.ts');
  const { findBot } = await import('../../store/bots.ts');
  const bot = findBot(store, name);
  const out = await prepareOutput(ctx, flags.output ?? `bot-${safe(bot.name)}.html`, yes);
  await emitReport(ctx, out, botReport(store, bot.id, nowIso(ctx)), flags.open === true);
}

export async function reportAccount(ctx: Context, name: string | undefined, flags: ReportFlags, yes: boolean): Promise<void> {
  const store = await ctx.store();
  const { accountReport } = await import('../../app/report-account.ts');
  const { resolveAccountId } = await import('../../app/paper.ts');
  const { accountView } = await import('../../store/reports.ts');
  const acct = accountView(store, resolveAccountId(store, name));
  const out = await prepareOutput(ctx, flags.output ?? `account-${safe(acct.name)}.html`, yes);
  await emitReport(ctx, out, accountReport(store, acct.id, nowIso(ctx)), flags.open === true);
}

export async function reportCompare(ctx: Context, ids: string[], flags: ReportFlags, yes: boolean): Promise<void> {
  if (ids.length < 2) throw new UsageError('give at least two backtest ids to compare', 'e.g. tunicoin report compare 3f2a 9c1e');
  const store = await ctx.store();
  const { compareReport } = await import('../../app/report-compare.ts');
  const { findBacktest } = await import('../../store/reports.ts');
  const rows = ids.map((id) => findBacktest(store, id));
  const out = await prepareOutput(ctx, flags.output ?? `compare-${rows.map((r) => r.id.slice(0, 4)).join('-')}.html`, yes);
  await emitReport(
    ctx,
    out,
    await compareReport(
      store,
      rows.map((r) => r.id),
      nowIso(ctx),
    ),
    flags.open === true,
  );
}
