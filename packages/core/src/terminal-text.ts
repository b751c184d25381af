/**
 * Neutralising text that came from data (names, descriptions, reasons, error messages) before
 * it reaches a terminal. A name in an event log can hold escape sequences that clear the
 * screen, set the window title, write the clipboard (OSC 52) or redraw earlier output; a bidi
 * override can make text read differently from what it is. Each such character is shown as
 * a visible escape instead (`\x1b`, `\u202e`), so the text stays recognisable and harmless.
 */

// C0 controls, DEL, C1 controls; bidi embeddings, overrides and isolates; line and paragraph separators.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const UNSAFE_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Options of {@link terminalSafe}. */
export interface TerminalSafeOptions {
  /** Keep line feeds and tabs (for multi-line messages). Default false: they are escaped too. */
  readonly keepNewlines?: boolean;
}

/**
 * `text` with every terminal control character (C0 including ESC, DEL, C1 including CSI and
 * OSC, bidi overrides and isolates, line/paragraph separators) replaced by a visible escape.
 * Text without any is returned unchanged (same string).
 *
 * @example
 * terminalSafe("evil\x1b]52;c;ZWNobw==\x07name"); // "evil\\x1b]52;c;ZWNobw==\\x07name"
 */
export function terminalSafe(text: string, options: TerminalSafeOptions = {}): string {
  const pattern = options.keepNewlines ? UNSAFE_KEEP_LINES : UNSAFE;
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  pattern.lastIndex = 0;
  return text.replace(pattern, visible);
}

/**
 * A deep copy of a JSON-like value (a report, a record) with {@link terminalSafe} applied to
 * every string and every object key, for renderers that print data from a log.
 */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === "string") return terminalSafe(value) as T;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => terminalSafeDeep(item)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[terminalSafe(key)] = terminalSafeDeep(item);
  return out as T;
}

// Characters JSON.stringify leaves raw that a terminal may act on (C1, bidi, separators).
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text made safe to print: JSON.stringify already escapes C0 controls, this also writes
 * DEL, C1 controls, bidi controls and line separators as `\uXXXX` escapes. The JSON value is
 * unchanged (a parser reads back the same strings).
 */
export function terminalSafeJson(json: string): string {
  JSON_UNSAFE.lastIndex = 0;
  if (!JSON_UNSAFE.test(json)) return json;
  JSON_UNSAFE.lastIndex = 0;
  return json.replace(JSON_UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
