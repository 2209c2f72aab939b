/**
 * A synchronous client for PostgreSQL: the `pg` driver runs in a worker thread and the calling
 * thread blocks on Atomics.wait until the answer is posted. The repositories and use cases stay
 * the plain synchronous calls they are on SQLite (a write is one transaction around plain calls,
 * no promise per statement), so the SAME code runs on both databases; only this executor differs.
 * The cost is one thread hop per statement (tens of µs next to a network round trip).
 *
 * The worker's source is a string run with `eval: true` (as strategy-worker.ts does), so it works
 * from the bundle and from the TypeScript sources alike; it loads `pg` by the path resolved here,
 * so `pg` is loaded only when a PostgreSQL URL is opened.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** What a failed call carries back: the server's SQLSTATE (`code`) or the socket's errno code. */
export class PgBridgeError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = 'PgBridgeError';
  }
}

export interface PgResult {
  readonly fields: readonly string[];
  readonly rows: readonly unknown[][];
  readonly rowCount: number;
}

/** What copyOutFields returns. */
export interface CopyFields {
  readonly rows: number;
  readonly width: number;
  readonly bytes: Uint8Array;
  readonly fields: Float64Array;
}

type Reply = { ok: true; value: unknown } | { ok: false; message: string; code?: string; detail?: string };

const WORKER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const { port, flag, pgPath, copyPath } = workerData;
// pg's Cloudflare check (lib/stream.js) reads navigator.userAgent, and without a navigator (Node
// 20) builds a fetch Response, which loads Node's fetch machinery: ~50 ms of every PostgreSQL
// start. This thread runs only pg, so it gets a plain navigator (as Node 21+ has).
if (typeof navigator === 'undefined') globalThis.navigator = { userAgent: 'Node.js/' + process.versions.node };
const pg = require(pgPath);
// Integers come back as JavaScript numbers, as better-sqlite3 gives them (money is fixed-point
// BIGINT within 2^53); NUMERIC (SUM of BIGINT) too; booleans as 0/1 like SQLite's.
pg.types.setTypeParser(20, Number);
pg.types.setTypeParser(1700, Number);
pg.types.setTypeParser(16, (v) => (v === 't' ? 1 : 0));
let client;
function reply(msg, transfer) {
  port.postMessage(msg, transfer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
const fail = (e) => ({ ok: false, message: String((e && e.message) || e), code: e && e.code, detail: e && e.detail });
const param = (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : typeof v === 'boolean' ? (v ? 1 : 0) : v);
async function handle(m) {
  switch (m.op) {
    case 'connect': {
      // jit off: the planner JIT-compiles any query costed past jit_above_cost, e.g. a year's candle
      // read, spending tens of ms to compile for a scan that gains nothing from it
      client = new pg.Client({ connectionString: m.url, connectionTimeoutMillis: m.timeoutMs, application_name: 'tunicoin', options: '-c jit=off' });
      client.on('error', () => {}); // a lost connection fails the next query instead
      await client.connect();
      const r = await client.query('SHOW server_version_num');
      return Number(r.rows[0].server_version_num);
    }
    case 'query': {
      const r = await client.query({ text: m.sql, values: m.params.map(param), rowMode: 'array' });
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return { fields: (last.fields || []).map((f) => f.name), rows: last.rows || [], rowCount: last.rowCount || 0 };
    }
    case 'exec': {
      await client.query(m.sql);
      return null;
    }
    case 'copyIn': {
      const { from } = require(copyPath);
      const stream = client.query(from(m.sql));
      await new Promise((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(m.data);
      });
      return stream.rowCount;
    }
    case 'copyOutColumns':
      return copyOutColumns(m.sql, m.types);
    case 'copyOutFields':
      return copyOutFields(m.sql);
    case 'close': {
      const c = client;
      client = undefined;
      if (c) await c.end().catch(() => {});
      return null;
    }
  }
  throw new Error('unknown bridge op ' + m.op);
}
// COPY (query) TO STDOUT (FORMAT binary) parsed straight into Float64Arrays, one per column: every
// field 8 bytes, int8 or float8 (types[j]), no NULLs; the query bounds the rows (LIMIT). Rows
// land in chunks of 65536 per column, copied once at the end into arrays of exactly the rows
// read (peak: twice the data, no doubling), which are transferred back: no per-row objects.
async function copyOutColumns(sql, types) {
  const { to } = require(copyPath);
  const width = types.length;
  const int8 = types.map((t) => t === 'int8');
  const CHUNK = 65536;
  const chunks = [];
  let cur = null;
  let k = CHUNK;
  let n = 0;
  let carry = null;
  let header = true;
  let done = false;
  const tuple = 2 + 12 * width;
  const parse = (buf) => {
    // a DataView: its big-endian reads compile to a few instructions (Buffer's readDoubleBE does not)
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
    const len = buf.length;
    let p = 0;
    if (header) {
      if (len < 19) return 0;
      p = 19 + dv.getInt32(15);
      if (len < p) return 0;
      header = false;
    }
    while (!done && len - p >= 2) {
      const fields = dv.getInt16(p);
      if (fields === -1) { done = true; p += 2; break; }
      if (fields !== width) throw new Error('COPY returned ' + fields + ' columns, expected ' + width);
      if (len - p < tuple) break;
      if (k === CHUNK) { cur = types.map(() => new Float64Array(CHUNK)); chunks.push(cur); k = 0; }
      let q = p + 2;
      for (let j = 0; j < width; j++) {
        if (dv.getInt32(q) !== 8) throw new Error('COPY column ' + j + ': expected 8 bytes');
        cur[j][k] = int8[j] ? dv.getInt32(q + 4) * 4294967296 + dv.getUint32(q + 8) : dv.getFloat64(q + 4);
        q += 12;
      }
      k++;
      n++;
      p = q;
    }
    return p;
  };
  const stream = client.query(to(sql));
  await new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.on('data', (chunk) => {
      try {
        const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
        const used = parse(buf);
        carry = used < buf.length ? buf.subarray(used) : null;
      } catch (e) {
        stream.destroy(e);
      }
    });
  });
  const out = types.map(() => new Float64Array(n));
  chunks.forEach((c, i) => {
    const len = Math.min(CHUNK, n - i * CHUNK);
    for (let j = 0; j < width; j++) out[j].set(len === CHUNK ? c[j] : c[j].subarray(0, len), i * CHUNK);
  });
  chunks.length = 0;
  return { value: { n, columns: out }, transfer: out.map((c) => c.buffer) };
}
// COPY (query) TO STDOUT (FORMAT binary) returned raw: the whole stream in one new buffer
// (transferred back, not copied) and each field's [start, length] in it (length -1: NULL), row
// by row. For bytea-heavy reads (candle packs): no hex text to decode, no per-row objects.
async function copyOutFields(sql) {
  const { to } = require(copyPath);
  const parts = [];
  let total = 0;
  const stream = client.query(to(sql));
  await new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.on('data', (chunk) => { parts.push(chunk); total += chunk.length; });
  });
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of parts) { bytes.set(c, at); at += c.length; }
  parts.length = 0;
  const dv = new DataView(bytes.buffer);
  if (total < 19) throw new Error('COPY returned no binary header');
  let p = 19 + dv.getInt32(15);
  const fields = [];
  let width = -1;
  let rows = 0;
  for (;;) {
    const w = dv.getInt16(p);
    p += 2;
    if (w === -1) break;
    if (width === -1) width = w;
    else if (w !== width) throw new Error('COPY returned rows of ' + w + ' and ' + width + ' columns');
    for (let j = 0; j < w; j++) {
      const len = dv.getInt32(p);
      p += 4;
      fields.push(p, len);
      if (len > 0) p += len;
    }
    rows++;
  }
  const f = new Float64Array(fields);
  return { value: { rows, width: Math.max(width, 0), bytes, fields: f }, transfer: [bytes.buffer, f.buffer] };
}
port.on('message', (m) => {
  handle(m).then(
    (value) => (value && value.transfer ? reply({ ok: true, value: value.value }, value.transfer) : reply({ ok: true, value })),
    (e) => reply(fail(e)),
  );
});
`;

/** One PostgreSQL connection, driven synchronously from this thread. */
export class PgBridge {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;

  constructor() {
    const req = createRequire(import.meta.url);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, flag: this.flag, pgPath: req.resolve('pg'), copyPath: req.resolve('pg-copy-streams') },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
  }

  private call(msg: Record<string, unknown>): unknown {
    if (this.closed) throw new PgBridgeError('the PostgreSQL connection is closed', undefined, undefined);
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(msg);
    for (;;) {
      Atomics.wait(this.flag, 0, 0);
      const got = receiveMessageOnPort(this.port);
      if (got) {
        const r = got.message as Reply;
        if (r.ok) return r.value;
        throw new PgBridgeError(r.message, r.code, r.detail);
      }
    }
  }

  /** Connect; returns the server's version number (e.g. 150004). */
  connect(url: string, timeoutMs = 10_000): number {
    return this.call({ op: 'connect', url, timeoutMs }) as number;
  }

  /** One statement with $1.. parameters; rows as arrays in `fields` order. */
  query(sql: string, params: readonly unknown[] = []): PgResult {
    return this.call({ op: 'query', sql, params }) as PgResult;
  }

  /** Statements without parameters or results (BEGIN, COMMIT, DDL; several separated by `;`). */
  exec(sql: string): void {
    this.call({ op: 'exec', sql });
  }

  /** `COPY ... FROM STDIN` with `data` in COPY's text format; returns the rows copied. */
  copyIn(sql: string, data: string): number {
    return this.call({ op: 'copyIn', sql, data }) as number;
  }

  /**
   * `COPY (query) TO STDOUT (FORMAT binary)` read in the worker into one Float64Array per column
   * (`types`: each column's PostgreSQL type, int8 or float8; no NULLs). The arrays come back
   * transferred, holding exactly the rows read.
   */
  copyOutColumns(sql: string, types: readonly ('int8' | 'float8')[]): { n: number; columns: Float64Array[] } {
    return this.call({ op: 'copyOutColumns', sql, types }) as { n: number; columns: Float64Array[] };
  }

  /**
   * `COPY (query) TO STDOUT (FORMAT binary)` returned raw (transferred, not copied): `bytes` holds
   * the stream, `fields` each field's start and length in it (2 numbers per field, row by row;
   * length -1 for NULL). The caller decodes the fields (big-endian, PostgreSQL's binary formats).
   */
  copyOutFields(sql: string): CopyFields {
    return this.call({ op: 'copyOutFields', sql }) as CopyFields;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'close' });
    } catch {
      // closing anyway
    }
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }
}
