/**
 * A backtest: the paper-trading engine on in-memory state, fed the stored 1m candles in order.
 * The strategy sees each CLOSED candle of its timeframe (the runner's buckets, strategy-runner.ts)
 * and its decision becomes market orders that fill at the next 1m bar's open, which is the next
 * timeframe candle's open: no look-ahead. Fees, slippage, funding, SL/TP and liquidation are the
 * engine's, exactly as in paper trading. A position still open at the end is closed at the last
 * close (against the quote) and reported. History before the range (`history`) warms the
 * strategy up first, without trading. The run is resumable in slices (`advance(n)`), so the
 * caller can show progress and honour Ctrl-C between slices without a Promise per bar.
 */
import { moneyToFloat, PNL_DIVISOR, PRICE_SCALE } from '../core/money.ts';
import type { CheckedDecision } from '../core/strategy/decision.ts';
import type { StrategyCandle } from '../core/strategy/types.ts';
import { TIMEFRAME_MS } from '../core/time.ts';
import type { Candles } from '../core/candles.ts';
import { accountMarks } from './accounting.ts';
import type { BacktestConfig, BacktestOutcome, WarmupReport } from './backtest-types.ts';
import { BacktestSink } from './backtest-sink.ts';
import { BACKTEST_ACCOUNT as ACCOUNT, backtestId, backtestState } from './backtest-state.ts';
import { BucketCandle } from './bucket-candle.ts';
import { Engine, type QuietBand } from './engine.ts';
import { Buckets, CandleFold, foldBuckets } from './candle-buckets.ts';
import { StrategyRunner } from './strategy-runner.ts';
import type { EngineAccount, EngineInstrument, EnginePosition } from './state.ts';

export type { BacktestConfig, BacktestOutcome, WarmupReport } from './backtest-types.ts';

export class BacktestRun {
  readonly engine: Engine;
  readonly sink = new BacktestSink();
  private readonly acct: EngineAccount;
  private readonly inst: EngineInstrument;
  private i = 0;
  // `declare` (here and below): no field initialised to undefined first, which would make V8
  // store the number tagged (a type check at every read in the per-candle loop)
  declare private readonly n: number;
  private readonly equity: Float64Array;
  declare private readonly maxBars: number;
  // allocated at the first sample that is not the candles' own (see `shared`)
  private times = new Float64Array(0);
  private closes = new Float64Array(0);
  private k = 0;
  /**
   * The leading samples whose time and close are the candles' own at the same index (every 1m
   * candle its own timeframe candle): not written, the outcome views the candle columns. -1 once
   * a sample differs: from then on `times` and `closes` hold every sample.
   */
  private shared = 0;
  private exposure = 0;
  /** The balance of the last flat sample, and its equity as a float. */
  private flatBalance = NaN;
  private flatEquity = NaN;
  declare private peak: number;
  /** The last 1m candle the engine has stepped on. */
  private stepped = -1;
  // the timeframe candle being built: its first 1m candle, its close so far
  private bStart = 0;
  private bClose = 0;
  private readonly buckets: Buckets;
  private readonly runner: StrategyRunner;
  readonly warmup: WarmupReport;
  private readonly bar: { open: number; high: number; low: number; close: number; volume: number } = {
    open: 0,
    high: 0,
    low: 0,
    close: 0,
    volume: 0,
  };
  private readonly view: BucketCandle;
  private ids = 0;
  /** Every base candle is a timeframe candle of its own (scanEach). */
  private readonly each: boolean;
  /** Candles the engine need not see (empty until the first step). */
  private readonly quiet: QuietBand = { until: -Infinity, lowAbove: Infinity, highBelow: -Infinity };
  finished = false;

  constructor(private readonly cfg: BacktestConfig) {
    const { candles } = cfg;
    this.n = candles.time.length;
    this.view = new BucketCandle(candles);
    const { state, inst, acct } = backtestState(cfg, this.n ? (candles.time[0] as number) - 60_000 : 0);
    this.inst = inst;
    this.acct = acct;
    // Deterministic ids: the same inputs give byte-identical results.
    this.engine = new Engine(state, this.sink, () => backtestId(++this.ids));
    this.buckets = new Buckets(TIMEFRAME_MS[cfg.timeframe], cfg.baseMs ?? 60_000);
    this.each = this.buckets.tfMs === this.buckets.baseMs;
    this.runner = new StrategyRunner(
      {
        strategyId: cfg.strategyId ?? 'strategy',
        accountId: ACCOUNT,
        instrumentId: this.inst.id,
        sizing: cfg.sizing,
        leverage: cfg.leverage,
        botId: null,
      },
      cfg.strategy,
    );
    this.warmup = this.warmUp(cfg.history);
    // Upper bound on the number of timeframe candles: the buckets the range spans (+1 for the end sample).
    const span = this.n ? (candles.time[this.n - 1] as number) - (candles.time[0] as number) : 0;
    const maxBars = Math.min(this.n, Math.floor(span / TIMEFRAME_MS[cfg.timeframe]) + 2) + 1;
    this.equity = new Float64Array(maxBars);
    this.maxBars = maxBars;
    this.peak = cfg.capital;
  }

  /** Feed the last `warmup` closed timeframe candles of `history` to the strategy. */
  private warmUp(history: Candles | undefined): WarmupReport {
    const wanted = this.runner.warmup;
    if (!history || history.time.length === 0) return { wanted, candles: 0, from: NaN };
    const closed: StrategyCandle[] = [];
    const first = this.n ? (this.cfg.candles.time[0] as number) : Infinity;
    foldBuckets(new Buckets(this.buckets.tfMs, this.buckets.baseMs), new CandleFold(), history, first, (c) => {
      closed.push(c.copy());
      if (closed.length > wanted) closed.shift();
    });
    for (const c of closed) this.runner.warm(c, moneyToFloat(this.cfg.capital));
    return { wanted, candles: closed.length, from: closed.length ? (closed[0] as StrategyCandle).time : NaN };
  }

  get progress(): number {
    return this.n ? this.i / this.n : 1;
  }

  /**
   * Process up to `count` 1m candles; true when the whole range is done. The engine steps on
   * every candle outside its quiet band (Engine.quietBand) and, before the strategy's decision
   * is acted on, on the candle where it was taken; a candle inside the band would only have
   * moved the engine's clock, so skipping it changes no result (tested against stepEveryBar).
   */
  advance(count: number): boolean {
    const end = Math.min(this.n, this.i + count);
    this.scan(this.i, end);
    this.i = end;
    if (end >= this.n && !this.finished) {
      if (this.n > 0) this.syncTo(this.n - 1); // the closing trade fills against the last candle
      this.finish();
    }
    return this.finished;
  }

  /** The 1m candles [i, end): the hot loop, kept apart from the rare paths so the JIT optimises it once. */
  private scan(i: number, end: number): void {
    if (this.each) i = this.scanEach(i, end);
    const { time, close } = this.cfg.candles;
    const n = this.n;
    const b = this.buckets;
    while (i < end) {
      if ((time[i] as number) >= b.end) {
        // a new UTC-aligned bucket
        b.begin(time[i] as number);
        this.bStart = i;
      }
      // The candles [i, j) of this bucket within the slice.
      const bucketEnd = b.end;
      let j = i + 1;
      while (j < end && (time[j] as number) < bucketEnd) j++;
      this.bClose = close[j - 1] as number;
      for (let k = this.nextOutside(i, j); k < j; k = this.nextOutside(k + 1, j)) this.stepAt(k);
      // The timeframe candle closes at its last minute, or when a later candle arrives.
      if (b.open && (b.completeAt(time[j - 1] as number) || (j < n && (time[j] as number) >= bucketEnd)))
        this.onClosedCandle(this.position(), j);
      i = j;
    }
  }

  /**
   * The candles [i, end) while each is a timeframe candle of its own (timeframe = base candle,
   * e.g. a 1m strategy on 1m candles): the bucket of a candle starts at it and closes at once,
   * so the general loop's bucket bookkeeping reduces to a few assignments. Returns where it
   * stopped: `end`, or the first candle for which that does not hold (then the general loop
   * takes over, from the same state).
   *
   * The hot loop of a 1m strategy: one pass per candle with the decision and the sample in
   * line. The position lives in a local (it changes only where the engine steps or a decision
   * is acted on). The bucket's end and the quiet band are read from their objects' fields, not
   * kept in locals: a double carried from one pass of a loop to the next may be kept boxed by
   * the JIT (a new heap number per candle for the bucket's end: 16 MB per million candles),
   * while a field of double representation is rewritten in place.
   */
  private scanEach(i: number, end: number): number {
    const { time, close, low, high } = this.cfg.candles;
    const b = this.buckets;
    const tf = b.tfMs;
    const q = this.quiet;
    const runner = this.runner;
    const engine = this.engine;
    const view = this.view;
    const from = i;
    let pos = this.position();
    for (; i < end; i++) {
      const t = time[i] as number;
      const bucketEnd = b.end;
      if (!(t >= bucketEnd)) break; // not a new bucket
      // the bucket that starts at the end of the last one (a multiple of tf) needs no division
      const start = t === bucketEnd ? t : Math.floor(t / tf) * tf;
      // the bucket holds this candle alone, and its last minute has been reached
      if (!(t + tf >= start + tf) || (i + 1 < end && (time[i + 1] as number) < start + tf)) break;
      b.time = start;
      b.end = start + tf;
      this.bClose = close[i] as number;
      // nextOutside(i, i + 1), spelled out
      const lowAbove = q.lowAbove;
      const highBelow = q.highBelow;
      if (
        !(t < q.until) ||
        !(lowAbove === -Infinity || (low[i] as number) > lowAbove) ||
        !(highBelow === Infinity || (high[i] as number) < highBelow)
      ) {
        this.stepAt(i);
        pos = this.position();
      }
      // onClosedCandle(pos, i + 1), spelled out
      const d = runner.decide(engine, view.set(start, i, i + 1), pos);
      const acted = d.action !== 'hold';
      if (acted) this.decide(d, i);
      // An order placed now fills on the next bar, so the position sampled is unchanged.
      this.sample(pos);
      if (acted) pos = this.position();
    }
    if (i > from) {
      // the last bucket closed here: its first candle, and it is not open
      this.bStart = i - 1;
      b.open = false;
    }
    return i;
  }

  /** The run's one position (its one account's, on its one instrument), by the instrument's holders: no map lookup per candle. */
  private position(): EnginePosition | null {
    const h = this.inst.holders;
    return h.length > 0 ? (h[0] as { pos: EnginePosition }).pos : null;
  }

  /** The first 1m candle in [k, j) outside the engine's quiet band, or j. */
  private nextOutside(k: number, j: number): number {
    const { time, low, high } = this.cfg.candles;
    const q = this.quiet;
    if (k >= j || !((time[k] as number) < q.until)) return k;
    let lim = j;
    if (!((time[j - 1] as number) < q.until)) {
      lim = k;
      while (lim < j && (time[lim] as number) < q.until) lim++;
    }
    const above = q.lowAbove;
    const below = q.highBelow;
    // one scan per shape of band: most are open on one side (a long's liquidation) or both (flat)
    if (below === Infinity) {
      if (above === -Infinity) return lim;
      while (k < lim && (low[k] as number) > above) k++;
    } else if (above === -Infinity) {
      while (k < lim && (high[k] as number) < below) k++;
    } else {
      while (k < lim && (low[k] as number) > above && (high[k] as number) < below) k++;
    }
    return k;
  }

  /** Make sure the engine has seen 1m candle `k` (skipped inside the band) before acting on it. */
  private syncTo(k: number): void {
    if (this.stepped !== k) this.stepAt(k);
  }

  /** The engine's step on 1m candle `k`, then its quiet band from there. */
  private stepAt(k: number): void {
    this.stepped = k;
    const c = this.cfg.candles;
    const bar = this.bar;
    bar.open = c.open[k] as number;
    bar.high = c.high[k] as number;
    bar.low = c.low[k] as number;
    bar.close = c.close[k] as number;
    bar.volume = c.volume[k] as number;
    this.engine.stepInstrument(this.inst, bar, c.time[k] as number);
    if (!this.cfg.stepEveryBar) this.engine.quietBand(this.inst, this.quiet);
  }

  /** The timeframe candle made of the 1m candles [bStart, to) has closed. */
  private onClosedCandle(pos: EnginePosition | null, to: number): void {
    this.buckets.open = false;
    const d = this.runner.decide(this.engine, this.view.set(this.buckets.time, this.bStart, to), pos);
    // An order placed now fills on the next bar, so the position sampled below is unchanged.
    if (d.action !== 'hold') this.decide(d, to - 1);
    this.sample(pos);
  }

  /** Act on a decision taken at 1m candle `k`. */
  private decide(d: CheckedDecision, k: number): void {
    this.syncTo(k); // a candle inside the quiet band changed nothing but the engine's clock and mark
    this.runner.act(this.engine, d, this.cfg.candles.close[k] as number);
    // an order placed on the decision empties the band until the engine has stepped again
    if (!this.cfg.stepEveryBar) this.engine.quietBand(this.inst, this.quiet);
  }

  private sample(pos: { size: number; entryPrice: number } | null): void {
    let eq: number = this.acct.balance;
    const k = this.k;
    if (pos) {
      eq += (pos.size * (this.bClose * PRICE_SCALE - pos.entryPrice) * this.cfg.spec.contractSize) / PNL_DIVISOR;
      this.exposure++;
      this.equity[k] = moneyToFloat(eq);
    } else {
      // flat: the balance, converted again only when it has changed
      if (eq !== this.flatBalance) this.flatEquity = moneyToFloat((this.flatBalance = eq));
      this.equity[k] = this.flatEquity;
    }
    // the sample's time and close: still the candles' own at k (the outcome views their columns), or written
    const c = this.cfg.candles;
    if (this.shared === k && k < this.n && this.buckets.time === c.time[k] && this.bClose === c.close[k]) this.shared++;
    else this.put(k);
    this.k = k + 1;
    if (eq > this.peak) this.peak = eq;
  }

  /**
   * Write sample k's time and close (the bucket's), first copying the shared samples before it
   * if k is the first that differs. They are read from the fields, not passed: a double argument
   * of a call that is not inlined is boxed.
   */
  private put(k: number): void {
    if (this.shared === k) {
      const c = this.cfg.candles;
      this.times = new Float64Array(this.maxBars);
      this.closes = new Float64Array(this.maxBars);
      this.times.set(c.time.subarray(0, k));
      this.closes.set(c.close.subarray(0, k));
      this.shared = -1;
    }
    this.times[k] = this.buckets.time;
    this.closes[k] = this.bClose;
  }

  /** The time of sample k (< this.k). */
  private timeAt(k: number): number {
    return (this.shared >= 0 ? this.cfg.candles.time[k] : this.times[k]) as number;
  }

  private finish(): void {
    this.finished = true;
    const b = this.buckets;
    // the clock has passed the end of a last bucket whose last minute is missing: it closes too
    if (this.n > 0 && b.open && this.cfg.until !== undefined && b.completeAt(this.cfg.until)) this.onClosedCandle(this.position(), this.n);
    for (const o of this.engine.state.orders.slice()) this.engine.cancelOrder(o, 'end of backtest');
    const pos = this.acct.positions.get(this.inst.id);
    if (pos) {
      this.engine.placeOrder({
        accountId: ACCOUNT,
        instrumentId: this.inst.id,
        side: pos.size > 0 ? 'sell' : 'buy',
        type: 'market',
        size: Math.abs(pos.size) as never,
        leverage: pos.leverage,
        reduceOnly: true,
        fillNow: true,
        source: 'close',
        reason: 'end of backtest: position closed at the last close',
      });
    }
    if (this.n > 0) {
      // the final (possibly partial) candle's equity, after the closing trade (replacing its sample at the close)
      if (this.k > 0 && this.timeAt(this.k - 1) === b.time) {
        this.k--;
        if (this.shared > this.k) this.shared = this.k;
        if (pos) this.exposure--;
      }
      if (Number.isNaN(b.time)) b.time = this.cfg.candles.time[this.n - 1] as number;
      this.sample(null);
    }
  }

  outcome(): BacktestOutcome {
    // mid-run (a canceled run): mark at the last candle processed, which may have been skipped
    if (!this.finished && this.i > 0) this.syncTo(this.i - 1);
    const c = this.cfg.candles;
    const m = accountMarks(this.engine.state, this.acct);
    return {
      sink: this.sink,
      equity: this.equity.subarray(0, this.k),
      times: (this.shared >= 0 ? c.time : this.times).subarray(0, this.k),
      closes: (this.shared >= 0 ? c.close : this.closes).subarray(0, this.k),
      bars: this.k,
      exposureBars: this.exposure,
      finalEquity: m.equity,
      peakEquity: moneyToFloat(Math.max(this.peak, m.equity)),
      firstOpen: this.n ? (c.open[0] as number) : 0,
      lastClose: this.n ? (c.close[this.n - 1] as number) : 0,
      candlesProcessed: this.i,
      warmup: this.warmup,
    };
  }
}

/** Run a whole backtest synchronously (tests, sweeps). */
export function runBacktest(cfg: BacktestConfig): BacktestOutcome {
  const run = new BacktestRun(cfg);
  run.advance(Number.MAX_SAFE_INTEGER);
  return run.outcome();
}
