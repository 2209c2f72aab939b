/** Stable machine output: 2-space JSON with a trailing newline. */
export function renderJson(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
