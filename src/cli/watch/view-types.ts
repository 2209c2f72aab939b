/** What the screen shows, as plain data: the Ink components only lay these out. */

export type SegColor = 'green' | 'red' | 'yellow' | 'cyan';

/** A run of text with one style. */
export interface Seg {
  readonly text: string;
  readonly color?: SegColor;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

export type Line = readonly Seg[];

/** A bordered panel: its title and exactly `height - 2` lines of content, each `width - 2` wide. */
export interface Panel {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly lines: readonly Line[];
}

export interface ScreenView {
  readonly cols: number;
  readonly rows: number;
  /** Set when the terminal is smaller than the minimum: only this message is shown. */
  readonly tooSmall: string | null;
  readonly header: Line;
  readonly account: readonly Line[];
  /** The order form or the help: shown in place of the chart and quotes row when set. */
  readonly overlay: Panel | null;
  readonly chart: Panel;
  readonly quotes: Panel;
  readonly positions: Panel;
  readonly orders: Panel;
  readonly log: Panel;
  readonly footer: Line;
}
