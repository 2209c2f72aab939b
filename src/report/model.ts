/**
 * What a report page shows, as plain data: built by the use cases (src/app/report*.ts) and
 * turned into one self-contained HTML file by ./html.ts. Nothing here knows about the database.
 *
 * Times are epoch milliseconds. Series that go with a price chart are aligned to its candles
 * (one value per candle, NaN where there is none).
 */

export type ReportKind = 'backtest' | 'bot' | 'account' | 'compare' | 'optimize';

export interface Banner {
  readonly level: 'error' | 'warning' | 'info';
  readonly text: string;
}

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export interface CandleColumns {
  readonly time: ArrayLike<number>;
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly volume: ArrayLike<number>;
}

export interface Series {
  readonly name: string;
  readonly values: ArrayLike<number>;
  readonly style?: 'line' | 'histogram';
  /** The values are the candles' closes times this factor (buy & hold): the page derives them, nothing is stored. */
  readonly closeTimes?: number;
}

/** A pane below the price: one oscillator group (RSI, MACD + signal + histogram, ...). */
export interface Pane {
  readonly title: string;
  readonly series: readonly Series[];
}

/** A trade entry/exit or a bot fill drawn on the candles. */
export interface Marker {
  readonly time: number;
  readonly kind: 'entry' | 'exit' | 'fill';
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly size: number;
  readonly reason: string;
  /** Short text next to the marker, e.g. "#3 long". */
  readonly label: string;
}

export interface PriceSection {
  readonly kind: 'price';
  readonly id: string;
  readonly title: string;
  readonly symbol: string;
  readonly timeframe: string;
  /** Decimals to show prices with (from the tick size). */
  readonly priceDecimals: number;
  /** The tick size: prices are stored as whole ticks when they are exact multiples. */
  readonly tick: number;
  readonly candles: CandleColumns;
  /** Lines drawn over the price (moving averages, bands). */
  readonly overlays: readonly Series[];
  readonly panes: readonly Pane[];
  /** Equity (and a benchmark), aligned to the candles; drawdown is derived from the first. */
  readonly equity?: { readonly series: readonly Series[]; readonly drawdown: boolean };
  readonly markers: readonly Marker[];
}

export type Cell = string | number | null;

export interface TableColumn {
  readonly key: string;
  readonly label: string;
  readonly type: 'text' | 'number' | 'time';
  /** Colour the cell by its sign (gains green, losses red). */
  readonly pnl?: boolean;
  /** Decimals for numbers (default: as given). */
  readonly decimals?: number;
}

export interface TableSection {
  readonly kind: 'table';
  readonly id: string;
  readonly title: string;
  readonly columns: readonly TableColumn[];
  readonly rows: ReadonlyArray<readonly Cell[]>;
  readonly sortable?: boolean;
  /** A text filter box, and a drop-down of the values of this column. */
  readonly filter?: { readonly column?: string };
  /** Shown instead of the table when there is no row. */
  readonly empty: string;
  readonly note?: string;
}

export interface MetricRow {
  readonly key: string;
  readonly label: string;
  /** One value per column (run); the exact number of the metrics object, or null. */
  readonly values: ReadonlyArray<number | string | null>;
  readonly texts: readonly string[];
  readonly pnl?: boolean;
}

export interface MetricsSection {
  readonly kind: 'metrics';
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly MetricRow[];
  readonly empty: string;
}

/** Lines over time, each with its own times (equity curves side by side, balances). */
export interface LinesSection {
  readonly kind: 'lines';
  readonly id: string;
  readonly title: string;
  readonly unit: '%' | '$';
  readonly series: ReadonlyArray<{ readonly name: string; readonly times: ArrayLike<number>; readonly values: ArrayLike<number> }>;
  readonly empty: string;
}

/** A metric over two parameters of a grid. */
export interface HeatmapSection {
  readonly kind: 'heatmap';
  readonly id: string;
  readonly title: string;
  readonly metric: string;
  readonly xName: string;
  readonly yName: string;
  readonly xs: ReadonlyArray<number | string>;
  readonly ys: ReadonlyArray<number | string>;
  /** values[y][x], null where no combination ran. */
  readonly values: ReadonlyArray<ReadonlyArray<number | null>>;
  readonly note?: string;
}

export type Section = PriceSection | TableSection | MetricsSection | LinesSection | HeatmapSection;

export interface ReportModel {
  readonly kind: ReportKind;
  readonly title: string;
  readonly subtitle: string;
  /** When the file was written (wall clock, ISO). */
  readonly generatedAt: string;
  readonly banners: readonly Banner[];
  readonly facts: readonly Fact[];
  readonly sections: readonly Section[];
}
