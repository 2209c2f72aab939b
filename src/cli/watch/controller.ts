/**
 * The watch loop, without the terminal: every frame (100 ms of wall time) the simulated clock
 * is owed `elapsed x speed`; whole minutes of it are advanced through the `market advance` use
 * case (one committed transaction per simulated day, so a crash loses at most the tick under
 * way), then the screen is rebuilt from the database and drawn. Keys become effects performed
 * through the same use cases as `order`, `close` and `order cancel`. One operation runs at a
 * time (a queue), so a key never lands in the middle of a tick.
 *
 * Redraws happen at most once per frame (10 per second), and only when something changed.
 */
import { TunicoinError } from '../../core/errors.ts';
import { DAY_MS, MINUTE_MS, TIMEFRAME_MS, type Timeframe } from '../../core/time.ts';
import {
  baseTimeframes,
  botNames,
  cancelPaperOrder,
  closePaperPosition,
  placePaperOrder,
  previewPaperOrder,
  readWatchSnapshot,
  watchTick,
  type TickResult,
  type WatchSnapshot,
} from '../../app/watch.ts';
import type { Price } from '../../core/money.ts';
import type { Store } from '../../store/db.ts';
import type { Instrument } from '../../store/instruments.ts';
import { orderEntry, tickEntries, type Names } from './events.ts';
import {
  formRequest,
  initialState,
  onKey,
  withLog,
  type Effect,
  type FormPreview,
  type Key,
  type LogEntry,
  type UiState,
} from './state.ts';
import { buildView } from './view.ts';
import { layout } from './view-layout.ts';
import type { ScreenView } from './view-types.ts';

export const FRAME_MS = 100;
const MAX_OWED_WALL_MS = 10_000;

export interface WatchConfig {
  readonly store: Store;
  /** Wall clock (ms). */
  readonly wallNow: () => number;
  readonly accountId: string;
  readonly accountName: string;
  readonly instruments: readonly Instrument[];
  readonly timeframe: Timeframe;
  readonly speed: number;
  readonly color: boolean;
  readonly size: () => { cols: number; rows: number };
  readonly draw: (view: ScreenView) => void;
  /** Timers, injectable for tests. */
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  /** The advance use case (tests stand in a market that stops). */
  readonly advance?: Parameters<typeof watchTick>[3];
  readonly clearTimer?: (t: unknown) => void;
}

export interface WatchStats {
  /** Simulated time advanced. */
  simMs: number;
  ticks: number;
  draws: number;
  /** Largest simulated time owed but not yet advanced after a frame (lag behind wall x speed). */
  maxLagMs: number;
  /** Wall time spent running (not paused). */
  runningWallMs: number;
  /** Wall time spent in ticks (advance + re-reading the screen's data) and in building and drawing frames. */
  tickWallMs: number;
  drawWallMs: number;
  /** Simulated time owed beyond ten seconds' worth, dropped rather than caught up (0 when the loop keeps up). */
  droppedMs: number;
}

export class WatchController {
  ui: UiState;
  snap!: WatchSnapshot;
  readonly stats: WatchStats = { simMs: 0, ticks: 0, draws: 0, maxLagMs: 0, runningWallMs: 0, droppedMs: 0, tickWallMs: 0, drawWallMs: 0 };
  private owed = 0;
  private lastWall: number;
  private dirty = true;
  private timer: unknown = null;
  private frameStart = 0;
  private queue: Promise<void> = Promise.resolve();
  private finished = false;
  private resolveDone!: (r: { interrupted: boolean }) => void;
  /** Settles when the user quits (or an unexpected error ends the loop: then it rejects). */
  readonly done: Promise<{ interrupted: boolean }>;
  private rejectDone!: (e: unknown) => void;
  private bots: Map<string, string>;
  private readonly bases: Map<string, Timeframe>;
  private readonly names: Names;

  constructor(private readonly cfg: WatchConfig) {
    this.ui = initialState(cfg.speed);
    this.lastWall = cfg.wallNow();
    this.done = new Promise((res, rej) => {
      this.resolveDone = res;
      this.rejectDone = rej;
    });
    this.bots = botNames(cfg.store);
    this.bases = baseTimeframes(cfg.store, cfg.instruments);
    const byId = new Map(cfg.instruments.map((i) => [i.id, i]));
    this.names = {
      symbol: (id) => byId.get(id)?.symbol ?? id.slice(0, 8),
      tick: (id) => byId.get(id)?.tickSize ?? 1,
      bot: (id) => this.bots.get(id) ?? (this.bots = botNames(cfg.store)).get(id) ?? id.slice(0, 8),
    };
  }

  /** Read the first snapshot, draw it, and start the frame loop. */
  start(): void {
    this.frameStart = this.cfg.wallNow();
    this.refresh();
    this.render();
    this.schedule();
  }

  /** The terminal changed size: redraw at the next frame. */
  resized(): void {
    this.dirty = true;
  }

  /** A key from the terminal; handled after whatever is under way. */
  key(k: Key): Promise<void> {
    return this.enqueue(async () => {
      const t = onKey(this.ui, k, { symbols: this.cfg.instruments.length, orders: this.snap.orders.length });
      const wasRunning = this.running();
      const focus = this.ui.focus;
      this.ui = t.state;
      if (focus !== this.ui.focus) this.refresh();
      if (!wasRunning && this.running()) this.lastWall = this.cfg.wallNow(); // a pause owes nothing
      this.dirty = true;
      for (const e of t.effects) await this.perform(e);
    });
  }

  /** One frame: advance what is owed, redraw if anything changed (the timer calls it; tests call it directly). */
  frame(): Promise<void> {
    return this.enqueue(async () => {
      const now = this.cfg.wallNow();
      const elapsed = Math.max(0, now - this.lastWall);
      this.lastWall = now;
      if (this.running()) {
        this.stats.runningWallMs += elapsed;
        // Owed simulated time; beyond ten seconds' worth it is dropped (a suspended process does not fast-forward), and counted.
        const owed = this.owed + elapsed * this.ui.speed;
        this.owed = Math.min(owed, Math.max(MAX_OWED_WALL_MS * this.ui.speed, MINUTE_MS));
        this.stats.droppedMs += owed - this.owed;
        const ms = Math.min(Math.floor(this.owed / MINUTE_MS) * MINUTE_MS, DAY_MS);
        if (ms > 0) {
          await this.advance(ms);
          this.owed -= ms;
        }
        this.stats.maxLagMs = Math.max(this.stats.maxLagMs, this.owed);
      } else {
        this.owed = 0;
      }
      if (this.dirty) this.render();
    });
  }

  /** Stop the loop and settle `done`. */
  quit(interrupted: boolean): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== null) (this.cfg.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    this.timer = null;
    this.resolveDone({ interrupted });
  }

  private running(): boolean {
    return !this.ui.paused && this.ui.speed > 0 && this.ui.stopped === null;
  }

  private schedule(): void {
    if (this.finished) return;
    const set = this.cfg.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
    // A steady cadence: the next frame is due FRAME_MS after this one began, or at once when the
    // frame took longer (then the next tick is larger: the clock keeps up with wall x speed).
    const wait = Math.max(0, FRAME_MS - (this.cfg.wallNow() - this.frameStart));
    this.timer = set(() => {
      this.frameStart = this.cfg.wallNow();
      this.frame().then(
        () => this.schedule(),
        (e) => this.fail(e),
      );
    }, wait);
  }

  private fail(e: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.rejectDone(e);
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => (this.finished ? undefined : fn()));
    this.queue = run.catch((e) => this.fail(e));
    return run;
  }

  private async advance(ms: number): Promise<TickResult> {
    const t0 = performance.now();
    const r = await watchTick(this.cfg.store, this.cfg.wallNow, ms, this.cfg.advance);
    this.stats.ticks++;
    if (r.summary) {
      this.stats.simMs += r.summary.to - r.summary.from;
      this.log(tickEntries(r.summary, this.cfg.accountId, this.names));
    }
    if (r.status === 'stopped') {
      this.ui = { ...this.ui, stopped: r.reason, paused: true };
      this.log([{ time: this.snap?.clock ?? 0, kind: 'info', text: `market stopped: ${r.reason}` }]);
    }
    this.refresh();
    this.stats.tickWallMs += performance.now() - t0;
    return r;
  }

  private log(entries: readonly LogEntry[]): void {
    this.ui = withLog(this.ui, entries);
    this.dirty = true;
  }

  private focused(): Instrument {
    return (this.cfg.instruments[this.ui.focus] ?? this.cfg.instruments[0]) as Instrument;
  }

  private refresh(): void {
    const { cols, rows } = this.cfg.size();
    const L = layout(Math.max(cols, 80), Math.max(rows, 24));
    this.snap = readWatchSnapshot(this.cfg.store, {
      accountId: this.cfg.accountId,
      instruments: this.cfg.instruments,
      focused: this.focused(),
      timeframe: this.cfg.timeframe,
      chartBars: Math.max(1, L.chart.width - 14),
      sparkBars: 24,
      bases: this.bases,
    });
    this.dirty = true;
  }

  private render(): void {
    const t0 = performance.now();
    const { cols, rows } = this.cfg.size();
    this.cfg.draw(
      buildView(
        this.snap,
        this.ui,
        { accountName: this.cfg.accountName, timeframe: this.cfg.timeframe, color: this.cfg.color },
        cols,
        rows,
      ),
    );
    this.stats.draws++;
    this.stats.drawWallMs += performance.now() - t0;
    this.dirty = false;
  }

  private async perform(e: Effect): Promise<void> {
    const { store, wallNow, accountId } = this.cfg;
    const inst = this.focused();
    try {
      switch (e.kind) {
        case 'quit':
          this.quit(e.interrupted);
          return;
        case 'step': {
          if (this.ui.stopped) {
            this.log([{ time: this.snap.clock, kind: 'info', text: `the market is stopped: ${this.ui.stopped}` }]);
            return;
          }
          await this.advance(TIMEFRAME_MS[this.cfg.timeframe]);
          return;
        }
        case 'preview': {
          const form = this.ui.form;
          if (!form) return;
          const req = formRequest(form, accountId, inst.id);
          if ('error' in req) return;
          const o = previewPaperOrder(store, req.request);
          const preview: FormPreview =
            o.status === 'rejected'
              ? { kind: 'reject', reason: o.rejectReason ?? 'rejected' }
              : o.status === 'filled'
                ? { kind: 'fill', price: o.fillPrice as Price, margin: o.marginRequired, fee: o.commission, leverage: o.leverage }
                : { kind: 'rest', margin: o.marginRequired, leverage: o.leverage };
          if (this.ui.form === form) this.ui = { ...this.ui, form: { ...form, preview } };
          return;
        }
        case 'place': {
          const form = this.ui.form;
          if (!form) return;
          const req = formRequest(form, accountId, inst.id);
          if ('error' in req) {
            this.ui = { ...this.ui, form: { ...form, error: req.error } };
            return;
          }
          const o = placePaperOrder(store, wallNow, req.request);
          this.ui = { ...this.ui, form: null };
          this.log([orderEntry(o, this.snap.clock, this.names)]);
          break;
        }
        case 'close': {
          const o = closePaperPosition(store, wallNow, accountId, inst.id, inst.symbol);
          this.log([orderEntry(o, this.snap.clock, this.names)]);
          break;
        }
        case 'cancel': {
          const target = this.snap.orders[e.index];
          if (!target) return;
          const o = cancelPaperOrder(store, wallNow, target.id);
          this.log([
            {
              time: this.snap.clock,
              kind: 'order',
              text: `canceled ${o.side} ${o.symbol} ${o.order_type.replace('_', '-')} ${o.id.slice(0, 8)}`,
            },
          ]);
          break;
        }
      }
    } catch (err) {
      // An expected refusal (nothing to close, not pending, a usage error) is shown; anything else ends the screen.
      if (!(err instanceof TunicoinError)) throw err;
      this.log([{ time: this.snap.clock, kind: 'error', text: `${err.message}${err.hint ? ` (${err.hint})` : ''}` }]);
    }
    this.refresh();
  }
}
