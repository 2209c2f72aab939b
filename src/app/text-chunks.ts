/**
 * Text kept as UTF-8 bytes in buffers of about a megabyte, appended a string at a time: a long
 * output made before it can be written (a 1m backtest's --json trade list, ~9 MB) lies outside
 * V8's heap instead of in strings that scavenges copy. A string is never split between two
 * buffers, so each buffer decodes on its own.
 */
const CHUNK_BYTES = 1 << 20;

export class TextChunks {
  private readonly full: Buffer[] = [];
  private buf: Buffer | null = null;
  private used = 0;

  put(text: string): void {
    const most = 3 * text.length; // UTF-8 bytes per UTF-16 unit, at most (a lone surrogate: 3)
    if (this.buf === null || this.used + most > this.buf.length) {
      if (this.buf !== null && this.used > 0) this.full.push(this.buf.subarray(0, this.used));
      this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, most));
      this.used = 0;
    }
    this.used += this.buf.write(text, this.used);
  }

  /** The text so far, in order. */
  done(): Buffer[] {
    return this.buf !== null && this.used > 0 ? [...this.full, this.buf.subarray(0, this.used)] : [...this.full];
  }
}
