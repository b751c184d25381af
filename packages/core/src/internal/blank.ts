/**
 * Characters that show nothing: white space (including NBSP and the BOM), controls (NUL, C1),
 * format characters (zero-width space/joiners, word joiner, bidi marks, soft hyphen), lone
 * surrogates, and the filler letters that render as blanks (Hangul fillers, braille blank).
 */
const VISIBLE = /[^\s\p{Cc}\p{Cf}\p{Cs}\p{Z}\u115f\u1160\u3164\uffa0\u2800]/u;

/**
 * True when `text` holds at least one character that shows. A description made only of
 * characters that show nothing is as empty as "" to a person and to every layer. The search
 * stops at the first visible character, so ordinary text costs one step.
 */
export function hasVisibleText(text: string): boolean {
  return VISIBLE.test(text);
}
