/**
 * A user strategy file runs in a worker thread, behind a proxy with the same synchronous
 * interface as a built-in strategy, so the strategy runner needs no change:
 *
 *   main thread                                     worker thread
 *   call(op, args) -- port.postMessage ------------> runs the strategy's code
 *   Atomics.wait(flag, timeout)  <-- Atomics.notify -- port.postMessage(reply); flag = 1
 *   receiveMessageOnPort(port)  (the reply, synchronously)
 *
 * If a call does not answer within the time limit (per candle, default 1 s), the worker is
 * terminated (that stops an infinite loop) and the call throws a StrategyError; so does a throw
 * inside the strategy, and so does `process.exit` (which would otherwise end the whole command).
 * Arguments are copied as plain data (own enumerable fields and class getters), so a candle
 * object with getters or a richer context object arrives complete.
 *
 * Ctrl-C: a signal is handled by the main thread's event loop, which is blocked while a call
 * waits; it is acted on as soon as the call returns or times out (within the time limit).
 */
import { inspect } from 'node:util';
import type { MessagePort, Worker } from 'node:worker_threads';
import { StrategyError, UsageError } from '../core/errors.ts';
import type { ParamSpec, Params, Strategy, StrategyInstance } from '../core/strategy/types.ts';

/** The worker's code, evaluated (no file of its own: works the same from the bundle and from tests). */
const WORKER_SOURCE = String.raw`
const { workerData, parentPort } = require('node:worker_threads');
const { url, flag, port } = workerData;
const state = new Int32Array(flag);
process.exit = (code) => { throw new Error('process.exit(' + (code ?? '') + ') called by the strategy'); };
let strategy = null;
const instances = new Map();
let next = 1;
function reply(msg) { port.postMessage(msg); Atomics.store(state, 0, 1); Atomics.notify(state, 0); }
function run(op, args) {
  if (op === 'validate') return strategy.validate(args[0]);
  if (op === 'create') {
    const inst = strategy.create(args[0]);
    if (!inst || typeof inst.onCandle !== 'function') throw new Error('create() did not return { warmup, onCandle, explain }');
    const handle = next++;
    instances.set(handle, inst);
    return { handle, warmup: inst.warmup, hasExplain: typeof inst.explain === 'function' };
  }
  const inst = instances.get(args[0]);
  if (op === 'onCandle') return inst.onCandle(...args.slice(1));
  if (op === 'explain') return inst.explain();
  if (op === 'dispose') { instances.delete(args[0]); return null; }
  throw new Error('unknown operation ' + op);
}
port.on('message', ({ op, args }) => {
  let msg;
  try { msg = { ok: true, value: run(op, args) }; }
  catch (e) { msg = { ok: false, error: e instanceof Error ? e.message : String(e) }; }
  try { reply(msg); } catch (e) { reply({ ok: false, error: 'returned a value that cannot be passed on: ' + (e instanceof Error ? e.message : String(e)) }); }
});
import(url).then((mod) => {
  const s = mod.default ?? mod.strategy;
  if (!s || typeof s !== 'object' || typeof s.id !== 'string' || typeof s.create !== 'function' || !Array.isArray(s.params)) {
    parentPort.postMessage({ ok: false, kind: 'shape' });
    return;
  }
  strategy = s;
  let params;
  try { params = structuredClone(s.params); } catch (e) { parentPort.postMessage({ ok: false, kind: 'load', error: 'its params cannot be read: ' + e.message }); return; }
  parentPort.postMessage({ ok: true, meta: { id: s.id, description: String(s.description ?? ''), params, hasValidate: typeof s.validate === 'function' } });
}, (e) => parentPort.postMessage({ ok: false, kind: 'load', error: String(e && e.message || e).split('\n')[0] }));
`;

/** A plain-data copy of what a strategy is given: own enumerable fields, class getters, no functions. */
export function plainData(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
  if (depth > 8) return undefined;
  if (ArrayBuffer.isView(v) || v instanceof Date) return v;
  if (Array.isArray(v)) return v.map((x) => plainData(x, depth + 1));
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    const x = src[k];
    if (typeof x !== 'function') out[k] = plainData(x, depth + 1);
  }
  for (let p = Object.getPrototypeOf(src) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (!d.get || k in out || k.startsWith('_')) continue;
      try {
        const x = src[k];
        if (typeof x !== 'function') out[k] = plainData(x, depth + 1);
      } catch {
        /* a getter that throws is left out */
      }
    }
  }
  return out;
}

interface Reply {
  ok: boolean;
  value?: unknown;
  error?: string;
}

export interface WorkerStrategyOptions {
  /** Time limit of one call (a candle, create, explain), ms. */
  readonly timeoutMs: number;
  /** Time limit for importing the file, ms. */
  readonly loadTimeoutMs?: number;
}

/** node:worker_threads's receiveMessageOnPort, once loadWorkerStrategy has loaded the module. */
let receiveReply: typeof import('node:worker_threads').receiveMessageOnPort | undefined;

/** Load a strategy module (file URL) in a worker thread and return its synchronous proxy. */
export async function loadWorkerStrategy(url: string, ref: string, opts: WorkerStrategyOptions): Promise<Strategy> {
  // loaded here, not at start-up: a built-in strategy needs no thread (node:worker_threads and
  // its internal modules cost a command some 2-10 ms)
  const { MessageChannel, receiveMessageOnPort, Worker } = await import('node:worker_threads');
  receiveReply = receiveMessageOnPort;
  const flag = new SharedArrayBuffer(4);
  const state = new Int32Array(flag);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url, flag, port: port2 },
    transferList: [port2],
    stdout: false,
    stderr: false,
  });
  worker.unref();
  port1.unref();
  const loadMs = opts.loadTimeoutMs ?? Math.max(2000, 10 * opts.timeoutMs);
  const meta = await new Promise<{ id: string; description: string; params: ParamSpec[]; hasValidate: boolean }>((res, rej) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      rej(
        new StrategyError(
          `strategy file ${ref} did not finish loading within ${loadMs / 1000} s`,
          'look for a loop at the top level of the file',
        ),
      );
    }, loadMs);
    worker.once('message', (m: { ok: boolean; kind?: string; error?: string; meta?: never }) => {
      clearTimeout(timer);
      if (m.ok) {
        res(m.meta as never);
        return;
      }
      void worker.terminate();
      if (m.kind === 'shape')
        rej(
          new UsageError(
            `${ref} does not export a strategy`,
            'export default { id, description, params: [], create(params) { return { warmup, onCandle, explain } } }',
          ),
        );
      else rej(new UsageError(`cannot load strategy file ${ref}: ${m.error}`));
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      rej(new UsageError(`cannot load strategy file ${ref}: ${e.message.split('\n')[0]}`));
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      rej(new UsageError(`cannot load strategy file ${ref}: its thread exited (${code})`));
    });
  });
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.on('error', () => {
    /* reported by the call that finds it dead */
  });
  return new WorkerStrategy(meta, worker, port1, state, ref, opts.timeoutMs);
}

class WorkerStrategy implements Strategy {
  readonly id: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  readonly validate?: (params: Params) => string | null;
  private dead: string | null = null;

  constructor(
    meta: { id: string; description: string; params: ParamSpec[]; hasValidate: boolean },
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly state: Int32Array,
    private readonly ref: string,
    private readonly timeoutMs: number,
  ) {
    this.id = meta.id;
    this.description = meta.description;
    this.params = meta.params;
    if (meta.hasValidate)
      this.validate = (p) => {
        const r = this.call('validate', [p]);
        return r === null || r === undefined || r === '' ? null : typeof r === 'string' ? r : inspect(r);
      };
  }

  /** One synchronous round trip to the worker, bounded by the time limit. */
  private call(op: string, args: unknown[]): unknown {
    if (this.dead) throw new StrategyError(this.dead);
    Atomics.store(this.state, 0, 0);
    this.port.postMessage({ op, args });
    const deadline = Date.now() + this.timeoutMs;
    let waited = Atomics.wait(this.state, 0, 0, this.timeoutMs);
    // woken with the flag still 0: the late notify of the previous call (whose reply was taken
    // when its flag was already set, before the worker got to notify); wait on for this one's
    while (waited === 'ok' && Atomics.load(this.state, 0) === 0) {
      const left = deadline - Date.now();
      waited = left > 0 ? Atomics.wait(this.state, 0, 0, left) : 'timed-out';
    }
    const got = (receiveReply as NonNullable<typeof receiveReply>)(this.port);
    if (waited === 'timed-out' && !got) {
      this.dead = `strategy ${this.id} (${this.ref}) timed out: ${op} took longer than ${this.timeoutMs / 1000} s`;
      void this.worker.terminate();
      throw new StrategyError(this.dead, 'fix the strategy, or raise the limit with --strategy-timeout SECONDS');
    }
    if (!got) {
      this.dead = `strategy ${this.id} (${this.ref}) stopped answering`;
      void this.worker.terminate();
      throw new StrategyError(this.dead);
    }
    const r = got.message as Reply;
    // A throw in onCandle or explain is the strategy's own error, as a built-in's would be: the
    // strategy runner names the strategy and the candle. Elsewhere, say where it happened.
    if (!r.ok) {
      if (op === 'onCandle' || op === 'explain') throw new Error(String(r.error));
      throw new StrategyError(`strategy ${this.id} threw in ${op}: ${r.error}`);
    }
    return r.value;
  }

  create(params: Params): StrategyInstance {
    const made = this.call('create', [params]) as { handle: number; warmup: unknown; hasExplain: boolean };
    // passed on as the strategy declared it: the strategy runner validates it (checkWarmup)
    const warmup = made.warmup as number;
    const call = (op: string, args: unknown[]) => this.call(op, args);
    return {
      warmup,
      onCandle: ((...args: unknown[]) => call('onCandle', [made.handle, ...args.map((a) => plainData(a))])) as StrategyInstance['onCandle'],
      explain: () =>
        (made.hasExplain ? call('explain', [made.handle]) : { reason: '', indicators: {} }) as ReturnType<StrategyInstance['explain']>,
    };
  }
}
