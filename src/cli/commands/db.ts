/** `tunicoin db path|status|migrate|rollback|create`. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../app/package-root.ts';
import { ConflictError, NotFoundError, UsageError } from '../../core/errors.ts';
import { isPostgresUrl } from '../../store/db-target.ts';
import { confirmOrRefuse } from '../confirm.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { renderTable } from '../render/table.ts';

/**
 * Where the database is. A PostgreSQL URL is shown with its password hidden, and `exists` is
 * null for it: this command does not connect (`db status` does).
 */
export async function dbPath(ctx: Context): Promise<void> {
  const { path, from } = ctx.dbPath;
  const server = isPostgresUrl(path);
  const shown = server ? (await import('../../store/pg/open.ts')).redactUrl(path) : path;
  if (ctx.json) ctx.print(renderJson({ path: shown, from, exists: server ? null : existsSync(path) }));
  else ctx.print(shown);
}

export async function dbStatus(ctx: Context): Promise<void> {
  const store = await ctx.store({ migrate: false });
  const { migrationStatus } = await import('../../store/migrator.ts');
  const { applied, pending } = await migrationStatus(store);
  if (ctx.json) {
    ctx.print(renderJson({ path: store.path, applied, pending }));
    return;
  }
  const rows = [...applied.map((n) => [n, 'applied']), ...pending.map((n) => [n, 'pending'])];
  ctx.print(renderTable([{ header: 'migration' }, { header: 'status' }], rows, ctx.style));
  ctx.note(`${applied.length} applied, ${pending.length} pending (${store.path})`);
}

export async function dbMigrate(ctx: Context): Promise<void> {
  const store = await ctx.store({ migrate: false });
  const { migrateUp } = await import('../../store/migrator.ts');
  const done = await migrateUp(store);
  if (ctx.json) ctx.print(renderJson({ applied: done }));
  else ctx.note(done.length ? `applied ${done.join(', ')}` : 'schema is up to date');
}

export async function dbRollback(ctx: Context, opts: { to?: string; all?: boolean }): Promise<void> {
  if (opts.to && opts.all) throw new UsageError('pass either --to NAME or --all, not both');
  const store = await ctx.store({ migrate: false });
  const { migrateDown, migrationStatus } = await import('../../store/migrator.ts');
  const { applied } = await migrationStatus(store);
  // What would be reverted, newest first: asked for (or --yes) before anything is dropped.
  let keep: number;
  if (opts.all) {
    keep = 0;
  } else if (opts.to) {
    // --to NAME keeps NAME applied and reverts everything after it.
    const at = applied.indexOf(opts.to);
    if (at < 0) throw new NotFoundError('applied migration', opts.to, `applied: ${applied.join(', ') || 'none'}`);
    keep = at + 1;
  } else {
    if (applied.length === 0) throw new ConflictError('nothing to roll back: no migration is applied');
    keep = applied.length - 1;
  }
  const revert = applied.slice(keep);
  if (revert.length > 0) {
    await confirmOrRefuse(
      ctx,
      `Revert ${revert.length} migration(s) of ${store.path} (${revert[revert.length - 1]}${revert.length > 1 ? ` .. ${revert[0]}` : ''})? What they created is dropped with its data`,
      `db rollback would revert ${revert.length} migration(s) and drop their data`,
    );
  }
  const first = revert[0];
  const done = first === undefined ? [] : keep === 0 ? await migrateDown(store, { to: 0 }) : await migrateDown(store, { to: first });
  if (ctx.json) ctx.print(renderJson({ reverted: done }));
  else ctx.note(done.length ? `reverted ${done.join(', ')}` : 'nothing to roll back');
}

const TEMPLATE = `/**
 * NAME: describe the change and why.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  // e.g. await db.schema.alterTable('bots').addColumn('note', 'text').execute();
  void db;
}

export async function down(db: Db): Promise<void> {
  // undo exactly what up() did
  void db;
}
`;

export async function dbCreate(ctx: Context, name: string, opts: { dir?: string }): Promise<void> {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) throw new UsageError(`migration name "${name}" has no letters or digits`, 'e.g. tunicoin db create add_bot_notes');
  const root = packageRoot();
  const dir = opts.dir ?? join(root, 'migrations');
  if (!existsSync(dir)) throw new NotFoundError('migrations directory', dir, 'pass --dir');
  const numbers = readdirSync(dir)
    .map((f) => /^(\d{3})_/.exec(f)?.[1])
    .filter((x): x is string => !!x)
    .map(Number);
  const next = Math.max(0, ...numbers) + 1;
  const file = join(dir, `${String(next).padStart(3, '0')}_${slug}.ts`);
  writeFileSync(file, TEMPLATE.replace('NAME', `${String(next).padStart(3, '0')}_${slug}`), { flag: 'wx' });
  // Outside the bundle on purpose: the same script the build runs.
  const script = pathToFileURL(join(root, 'scripts', 'gen-migration-index.mjs')).href;
  const { generateMigrationIndex } = (await import(script)) as { generateMigrationIndex: (d: string) => string[] };
  generateMigrationIndex(dir);
  if (ctx.json) ctx.print(renderJson({ file }));
  else {
    ctx.print(file);
    ctx.note('edit it, then `npm run build`; the next command applies it');
  }
}
