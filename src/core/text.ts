/**
 * Control characters in user-supplied text. Names (accounts, bots, instruments) refuse them on
 * input; everything printed to a terminal is escaped, so a name stored before that rule (or
 * read from an imported file) can neither clear the screen nor set the window title.
 */

/** C0 controls except tab and newline, DEL, and the C1 range (0x80-0x9f, e.g. the 8-bit CSI). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const SGR_OR_CONTROL = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The first control character in `text` (tab and newline excluded), or null. */
export function controlCharIn(text: string): string | null {
  const m = CONTROL.exec(text);
  return m ? m[0] : null;
}

/** `\x1b` -> the four visible characters `\x1b`. */
const visible = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Escape control characters for a terminal or a pipe. With `keepColour`, well-formed SGR colour
 * sequences (ESC [ ... m, what our own styling writes) pass through; every other escape is made
 * visible.
 */
export function escapeControl(text: string, keepColour = false): string {
  if (!keepColour) return CONTROL_ALL.test(text) ? text.replace(CONTROL_ALL, visible) : text;
  return text.replace(SGR_OR_CONTROL, (m) => (m.length > 1 ? m : visible(m)));
}
