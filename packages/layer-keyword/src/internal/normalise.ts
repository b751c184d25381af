/**
 * Light text normalisation shared by rule terms and task descriptions: lower case,
 * punctuation as word separators, apostrophes dropped, simple English inflections stripped.
 * Both sides go through the same functions, so a rule word and a task word match
 * exactly when their stems are equal.
 */

const NON_ASCII = /[^\u0000-\u007f]/;
const APOSTROPHES = /['\u2019]/g;
// Letters, combining marks and digits of any script form words; everything else separates.
const WORD_RUN = /[\p{L}\p{M}\p{N}]+/gu;
const VOWEL = /[aeiouy]/;

function isAsciiWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

/** Splits into lower-case word tokens (no stemming). */
export function tokenise(text: string): string[] {
  if (NON_ASCII.test(text)) {
    // NFKC folds compatibility forms (ligatures, full-width letters) before matching.
    return text.normalize("NFKC").toLowerCase().replace(APOSTROPHES, "").match(WORD_RUN) ?? [];
  }
  let lower = text.toLowerCase();
  if (lower.includes("'")) lower = lower.replace(APOSTROPHES, "");
  // A hand-written scan: the hot path for English descriptions, no regex, one pass.
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i < lower.length; i++) {
    if (isAsciiWordChar(lower.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      tokens.push(lower.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) tokens.push(lower.slice(start));
  return tokens;
}

function isConsonant(char: string): boolean {
  return !"aeiouy".includes(char);
}

/** Drops an -ing/-ed suffix when a plausible stem remains ("fixing" -> "fix", "running" -> "run"). */
function dropVerbSuffix(word: string, length: number): string {
  let base = word.slice(0, -length);
  // "string", "bring", "used": too short or vowel-less stems are not inflections.
  if (base.length < 3 || !VOWEL.test(base)) return word;
  const last = base[base.length - 1]!;
  // Undouble a final consonant ("scann" -> "scan") but keep "pass", "fill", "buzz", "add".
  if (base.length >= 4 && last === base[base.length - 2] && isConsonant(last) && !"lsz".includes(last)) {
    base = base.slice(0, -1);
  }
  return base;
}

/**
 * A small suffix-stripping stemmer for English inflections: plurals (-s, -es, -ies),
 * -ing, -ed and a final silent -e. deploy/deploys/deploying/deployed -> "deploy";
 * test/tests/testing -> "test"; fix/fixes/fixed/fixing -> "fix"; dependency/dependencies ->
 * "dependency". Irregular forms ("built") are not handled: list them as keywords.
 */
export function stem(token: string): string {
  if (token.length <= 3) return token;
  let word = token;
  let plural = true;
  if (word.endsWith("ies") && word.length > 4) word = word.slice(0, -3) + "y";
  else if (word.endsWith("sses") || word.endsWith("xes") || word.endsWith("ches") || word.endsWith("shes") || word.endsWith("zes")) word = word.slice(0, -2);
  else if (word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us") && !word.endsWith("is")) word = word.slice(0, -1);
  else plural = false;
  if (!plural) {
    if (word.endsWith("ing")) word = dropVerbSuffix(word, 3);
    else if (word.endsWith("ed") && !word.endsWith("eed")) word = dropVerbSuffix(word, 2);
  }
  // "release"/"released"/"releasing" all meet at "releas".
  if (word.length >= 4 && word.endsWith("e") && !word.endsWith("ee")) word = word.slice(0, -1);
  return word;
}

/** Tokenises and stems: the normal form both rules and tasks are compared in. */
export function stemmedTokens(text: string): string[] {
  const tokens = tokenise(text);
  for (let i = 0; i < tokens.length; i++) tokens[i] = stem(tokens[i]!);
  return tokens;
}
