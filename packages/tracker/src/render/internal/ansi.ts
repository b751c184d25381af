/** ANSI styling that switches off cleanly (NO_COLOR, pipes, tests). */

/** A styling function set; all identity functions when colour is off. */
export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

/** Styles that emit ANSI escapes when `color` is true, plain text otherwise. */
export function styles(color: boolean): Styles {
  if (!color) return { bold: plain, dim: plain, green: plain, yellow: plain, red: plain, cyan: plain };
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), cyan: wrap(36, 39) };
}

const ANSI_PATTERN = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Text with ANSI escapes removed. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, "");
}

/** Width of text as shown on a terminal (escapes take no room). */
export function visibleLength(text: string): number {
  return stripAnsi(text).length;
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A horizontal bar of `width` cells filled to `share` (0..1), in eighths of a cell. */
export function bar(share: number | null, width: number): string {
  const clamped = share === null || !Number.isFinite(share) ? 0 : Math.max(0, Math.min(1, share));
  const eighths = Math.round(clamped * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = EIGHTHS[eighths % 8]!;
  return ("█".repeat(full) + partial).padEnd(width, " ");
}

/** Colours a good/bad share: green at or above `good`, red below `bad`, yellow between. */
export function grade(s: Styles, value: number | null, text: string, good = 0.9, bad = 0.75): string {
  if (value === null) return s.dim(text);
  return value >= good ? s.green(text) : value < bad ? s.red(text) : s.yellow(text);
}
