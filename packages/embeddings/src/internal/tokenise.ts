/**
 * Tokenising shared by embedding and IDF fitting, so both see the same words.
 * NFKC folds compatibility forms (full-width letters, ligatures) before lowercasing;
 * a token is a run of Unicode letters, marks or digits.
 */
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;

/** Lower-cased word tokens of `text`, in order. */
export function tokenise(text: string): string[] {
  return text.normalize("NFKC").toLowerCase().match(TOKEN) ?? [];
}
