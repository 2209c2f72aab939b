/**
 * The binary's stdout and stderr. Node's process.stdout/stderr cost a command some 5 ms on first
 * use (they load node:stream, and node:net for a pipe). When the descriptor is a pipe, a socket
 * or a file, tunicoin writes it with fs.writeSync instead: synchronous, in order, as Node writes
 * pipes and files on POSIX anyway. A terminal (or anything else) gets Node's stream, as does the rest of
 * the output if the descriptor turns out non-blocking (EAGAIN: shared with a process that set
 * it so). A reader closing the pipe early (EPIPE, or ECONNRESET on a socket: `tunicoin orders |
 * head`) calls onClosed.
 */
import { fstatSync, writeSync } from 'node:fs';

/** What the CLI uses of an output stream. */
export interface OutStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string | Uint8Array, cb?: (err?: Error | null) => void): boolean;
}

class FdWriter implements OutStream {
  readonly isTTY = false;
  private stream: NodeJS.WriteStream | undefined;

  constructor(
    private readonly fd: 1 | 2,
    private readonly onClosed: () => void,
  ) {}

  private nodeStream(): NodeJS.WriteStream {
    return (this.stream ??= nodeStd(this.fd, this.onClosed));
  }

  write(chunk: string | Uint8Array, cb?: (err?: Error | null) => void): boolean {
    if (typeof cb !== 'function') cb = undefined; // write(text, encoding): text is UTF-8 here anyway
    if (this.stream) return this.stream.write(chunk, cb);
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return this.nodeStream().write(buf.subarray(off), cb);
      if (code === 'EPIPE' || code === 'ECONNRESET') {
        if (this.fd === 1) this.onClosed(); // messages to a closed stderr are dropped
        return false;
      }
      throw e;
    }
    if (cb) queueMicrotask(() => cb(null));
    return true;
  }
}

/** True when `fd` is a pipe, a socket (what Node's child_process gives as a pipe) or a regular file: never a terminal. */
function plainFd(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFIFO() || st.isSocket() || st.isFile();
  } catch {
    return false;
  }
}

/** Node's stream for fd 1 or 2; a closed pipe on stdout calls onClosed. */
function nodeStd(fd: 1 | 2, onClosed: () => void): NodeJS.WriteStream {
  const s = fd === 1 ? process.stdout : process.stderr;
  if (fd === 1)
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') onClosed();
      else throw e;
    });
  return s;
}

/** Output stream for fd 1 or 2: a synchronous writer for a pipe or file, else Node's own stream. */
export function stdStream(fd: 1 | 2, onClosed: () => void): OutStream {
  return plainFd(fd) ? new FdWriter(fd, onClosed) : nodeStd(fd, onClosed);
}
