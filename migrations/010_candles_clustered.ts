/**
 * 010_candles_clustered: candles stored in the order they are read. The table becomes WITHOUT
 * ROWID with the primary key (instrument_id, timeframe, timestamp), so a range of one
 * instrument's candles is one sequential walk over adjacent B-tree leaves holding every column,
 * instead of an index walk plus one random table lookup per row.
 *
 * Every column stays as it was (the spec's `id` UUID keeps its uniqueness through
 * uq_candles_id); the spec's composite index IS the table now, and its single index on
 * instrument_id is the key's first column, so those two go, and so does the one on timeframe
 * (see DROPPED). Other indexes (including any that earlier migrations added) are rebuilt as
 * they were. The columns and foreign keys are read from the live table, not restated, so
 * columns added by earlier migrations survive the rebuild.
 */
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const KEY = ['instrument_id', 'timeframe', 'timestamp'] as const;
/** Indexes the clustered key makes redundant (up drops them, down restores them). */
const SUBSUMED = ['uq_candles_instrument_timeframe_timestamp', 'ix_candles_instrument_id'];
/**
 * Dropped as harmful: keyed (timeframe, instrument_id, timestamp) once the table has no rowid,
 * SQLite's planner prefers it for range reads and then looks every row up by key, undoing the
 * clustering; and an index on six distinct values serves no query.
 */
const DROPPED = ['ix_candles_timeframe'];

export async function up(db: Db): Promise<void> {
  await rebuild(db, 'clustered');
  await db.schema.createIndex('uq_candles_id').on('candles').column('id').unique().execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('uq_candles_id').execute();
  await rebuild(db, 'rowid');
  await db.schema.createIndex('ix_candles_instrument_id').on('candles').column('instrument_id').execute();
  await db.schema.createIndex('ix_candles_timeframe').on('candles').column('timeframe').execute();
  await db.schema
    .createIndex('uq_candles_instrument_timeframe_timestamp')
    .on('candles')
    .columns([...KEY])
    .unique()
    .execute();
}

interface ColumnInfo {
  name: string;
  type: string;
  notnull: 0 | 1;
  dflt_value: string | null;
}
interface ForeignKeyInfo {
  id: number;
  table: string;
  from: string;
  to: string;
  on_delete: string;
  on_update: string;
}

/** Copy candles into a new table of the given layout, then swap it in and rebuild the indexes. */
async function rebuild(db: Db, layout: 'clustered' | 'rowid'): Promise<void> {
  const columns = (await sql<ColumnInfo>`PRAGMA table_info(candles)`.execute(db)).rows;
  const fks = (await sql<ForeignKeyInfo>`PRAGMA foreign_key_list(candles)`.execute(db)).rows;
  const indexes = (
    await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master
    WHERE type = 'index' AND tbl_name = 'candles' AND sql IS NOT NULL`.execute(db)
  ).rows.filter((ix) => ![...SUBSUMED, ...DROPPED].includes(ix.name));

  // the columns are read at run time, so the builder cannot know their names
  let table = db.schema.createTable('candles_new') as CreateTableBuilder<'candles_new', string>;
  for (const c of columns) {
    table = table.addColumn(c.name, sql.raw(c.type), (col) => {
      let out = layout === 'rowid' && c.name === 'id' ? col.primaryKey() : col;
      if (c.notnull || (layout === 'clustered' && c.name === 'id')) out = out.notNull();
      if (c.dflt_value !== null) out = out.defaultTo(sql.raw(c.dflt_value));
      return out;
    });
  }
  for (const fk of fks) {
    table = table.addForeignKeyConstraint(`fk_candles_${fk.from}`, [fk.from], fk.table, [fk.to], (cb) =>
      cb.onDelete(fk.on_delete.toLowerCase() as 'cascade').onUpdate(fk.on_update.toLowerCase() as 'cascade'),
    );
  }
  if (layout === 'clustered') table = table.addPrimaryKeyConstraint('pk_candles', [...KEY]).modifyEnd(sql`without rowid`);
  await table.execute();

  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  await sql`INSERT INTO candles_new (${names}) SELECT ${names} FROM candles ORDER BY instrument_id, timeframe, timestamp`.execute(db);
  for (const ix of indexes) await db.schema.dropIndex(ix.name).execute();
  await db.schema.dropTable('candles').execute();
  await db.schema.alterTable('candles_new').renameTo('candles').execute();
  for (const ix of indexes) await sql.raw(ix.sql).execute(db);
}
