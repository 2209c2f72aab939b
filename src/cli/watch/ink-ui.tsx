/**
 * The Ink side of the watch screen, an ES module of its own (dist/watch-ui.js): Ink and its
 * layout engine use top-level await, which the CommonJS bundle of the CLI cannot hold, so the
 * CLI loads this file at run time (run.ts) and gives it only data (views) and callbacks.
 */
import { render } from 'ink';
import { App } from './screen.tsx';
import type { Key } from './state.ts';
import type { ScreenView } from './view-types.ts';

export interface InkIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

export interface InkScreen {
  draw(view: ScreenView): void;
  clear(): void;
  unmount(): void;
}

/** A screen drawn by Ink on the terminal; mounted on the first draw. */
export function inkScreen(io: InkIo, onKey: (k: Key) => void): InkScreen {
  let instance: ReturnType<typeof render> | null = null;
  return {
    draw(view) {
      if (instance) instance.rerender(<App view={view} onKey={onKey} />);
      else {
        instance = render(<App view={view} onKey={onKey} />, {
          stdout: io.stdout,
          stdin: io.stdin,
          stderr: io.stderr,
          exitOnCtrlC: false,
          patchConsole: false,
          maxFps: 10,
          // Ink's incremental mode left stale lines behind on resize and form changes (seen in tmux); a full frame per redraw is one write.
          incrementalRendering: false,
        });
      }
    },
    clear() {
      instance?.clear();
    },
    unmount() {
      instance?.unmount();
      instance = null;
    },
  };
}
