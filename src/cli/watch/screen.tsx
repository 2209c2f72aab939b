/**
 * The Ink components: thin. They lay out the panels of a ScreenView (built by view.ts) and turn
 * key presses into `Key`s; nothing here reads data or decides anything.
 */
import { Box, Text, useInput } from 'ink';
import type { Key } from './state.ts';
import type { Line, Panel, ScreenView } from './view-types.ts';

function LineView({ line }: { line: Line }) {
  return (
    <Text wrap="truncate">
      {line.map((s, i) => (
        <Text key={i} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

/** The top border carries the title: ┌─ quotes ───┐ */
export function titleBar(title: string, width: number): string {
  const inner = Math.max(0, width - 2);
  const t = ` ${title} `.slice(0, Math.max(0, inner - 1));
  return `┌─${t}${'─'.repeat(Math.max(0, inner - 1 - t.length))}┐`;
}

function PanelView({ panel }: { panel: Panel }) {
  return (
    <Box flexDirection="column" width={panel.width} height={panel.height} flexShrink={0}>
      <Text bold wrap="truncate">
        {titleBar(panel.title, panel.width)}
      </Text>
      <Box flexDirection="column" borderStyle="single" borderTop={false} width={panel.width} height={panel.height - 1} overflow="hidden">
        {panel.lines.map((l, i) => (
          <LineView key={i} line={l} />
        ))}
      </Box>
    </Box>
  );
}

export function Screen({ view }: { view: ScreenView }) {
  if (view.tooSmall) return <Text>{view.tooSmall}</Text>;
  return (
    <Box flexDirection="column" width={view.cols}>
      <LineView line={view.header} />
      {view.account.map((l, i) => (
        <LineView key={i} line={l} />
      ))}
      {view.overlay ? (
        <PanelView panel={view.overlay} />
      ) : (
        <Box flexDirection="row">
          <PanelView panel={view.chart} />
          <PanelView panel={view.quotes} />
        </Box>
      )}
      <Box flexDirection="row">
        <Box flexDirection="column">
          <PanelView panel={view.positions} />
          <PanelView panel={view.orders} />
        </Box>
        <PanelView panel={view.log} />
      </Box>
      <LineView line={view.footer} />
    </Box>
  );
}

/** Ink's key report -> our Key (a paste becomes one key per character). */
type InkKey = Pick<
  Parameters<Parameters<typeof useInput>[0]>[1],
  'ctrl' | 'shift' | 'tab' | 'return' | 'escape' | 'backspace' | 'delete' | 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow'
>;

export function toKeys(input: string, key: InkKey): Key[] {
  if (key.ctrl && input === 'c') return [{ name: 'ctrl-c' }];
  if (key.tab) return [{ name: key.shift ? 'shift-tab' : 'tab' }];
  if (key.return) return [{ name: 'return' }];
  if (key.escape) return [{ name: 'escape' }];
  if (key.backspace || key.delete) return [{ name: 'backspace' }];
  if (key.upArrow) return [{ name: 'up' }];
  if (key.downArrow) return [{ name: 'down' }];
  if (key.leftArrow) return [{ name: 'left' }];
  if (key.rightArrow) return [{ name: 'right' }];
  if (key.ctrl) return [];
  return [...input].map((char) => ({ name: 'char' as const, char }));
}

export function App({ view, onKey }: { view: ScreenView; onKey: (k: Key) => void }) {
  useInput((input, key) => {
    for (const k of toKeys(input, key)) onKey(k);
  });
  return <Screen view={view} />;
}
