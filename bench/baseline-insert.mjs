// Baseline for the seed and bot benchmarks: insert the given rows into the same candles table
// with one prepared INSERT per row in one transaction, bare better-sqlite3.
// Args: SOURCE_DB TARGET_DB [FROM_MS]. Without FROM_MS: every candle of SOURCE_DB into TARGET_DB
// (migrated, empty). With FROM_MS: the candles of SOURCE_DB at or after FROM_MS (the ones a
// `bot run` wrote) into TARGET_DB, a copy of the database before that run (instruments there).
import Database from 'better-sqlite3';

const [source, target, fromArg] = process.argv.slice(2);
const from = fromArg === undefined ? -8.64e15 : Number(fromArg);
const src = new Database(source, { readonly: true });
const rows = src
  .prepare('SELECT id, instrument_id, timeframe, timestamp, open, high, low, close, volume FROM candles WHERE timestamp >= ?')
  .raw(true)
  .all(from);
const instruments = src.prepare('SELECT * FROM instruments').all();
src.close();
const db = new Database(target);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// the bare table: without the packed store's triggers (migration 012), so the ratio includes their cost
for (const t of ['insert', 'delete', 'update']) db.exec(`DROP TRIGGER IF EXISTS tr_candles_packs_${t}`);
const insI = db.prepare(
  `INSERT OR IGNORE INTO instruments VALUES (${Object.keys(instruments[0])
    .map(() => '?')
    .join(', ')})`,
);
for (const i of instruments) insI.run(...Object.values(i));
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
const ins = db.prepare(
  'INSERT INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
db.transaction(() => {
  for (const r of rows) ins.run(...r);
})();
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const cu = process.cpuUsage(c0);
db.close();
console.log(JSON.stringify({ rows: rows.length, insertMs: ms, insertCpuMs: (cu.user + cu.system) / 1000 }));
