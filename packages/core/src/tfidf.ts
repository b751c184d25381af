/**
 * A fitted sparse TF-IDF featuriser: word n-grams and character n-grams (inside word
 * boundaries), sublinear tf, smoothed idf, each block L2-normalised, the blocks side by
 * side. The same recipe as scikit-learn's `TfidfVectorizer(sublinear_tf=True)` with the
 * default word token pattern and `analyzer="char_wb"`, so a linear head over it is the
 * classic TF-IDF + logistic-regression text classifier. Lives in core so any layer can fit
 * one and persist it with its model without importing another layer.
 */
import { ErrorCode, MoeRouterError } from "./errors.js";

/** A vector of `dimension` entries stored as its non-zero entries (indices ascending). */
export interface SparseVector {
  readonly dimension: number;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Options of {@link fitTfidf}. */
export interface TfidfOptions {
  /** Word n-gram sizes [min, max]; null for none. Default [1, 2]. */
  readonly wordNgrams?: readonly [number, number] | null;
  /** Character n-gram sizes [min, max] (inside word boundaries); null for none. Default [2, 5]. */
  readonly charNgrams?: readonly [number, number] | null;
  /** Keep terms that occur in at least this many training texts. Default 2. */
  readonly minDf?: number;
  /** Keep at most this many terms per block (the most frequent by document count). Default 200,000. */
  readonly maxFeatures?: number;
  /** Use 1 + ln(tf) instead of raw counts. Default true. */
  readonly sublinearTf?: boolean;
}

/** The persisted state of a fitted featuriser (plain JSON). */
export interface TfidfState {
  readonly format: "moe-router-tfidf";
  readonly version: 1;
  readonly wordNgrams: readonly [number, number] | null;
  readonly charNgrams: readonly [number, number] | null;
  readonly sublinearTf: boolean;
  /** Terms of the word block then the char block, in feature order. */
  readonly words: readonly string[];
  readonly chars: readonly string[];
  /** idf of each feature, in feature order (words first). */
  readonly idf: readonly number[];
}

/** A fitted featuriser. */
export interface TfidfFeaturizer {
  /** Identifies vocabulary and settings (a short hash): two featurisers with the same id give the same vectors. */
  readonly id: string;
  /** Number of features (terms kept). */
  readonly dimension: number;
  /** The sparse TF-IDF vector of one text (unknown terms are ignored). */
  transform(text: string): SparseVector;
  /** Plain JSON to persist beside a model; {@link tfidfFromState} restores it. */
  toState(): TfidfState;
}

const WORD = /\b\w\w+\b/gu;

function wordTerms(text: string, [min, max]: readonly [number, number], out: string[]): void {
  const tokens = text.match(WORD) ?? [];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(" "));
  }
}

function charTerms(text: string, [min, max]: readonly [number, number], out: string[]): void {
  for (const word of text.split(/\s+/)) {
    if (!word) continue;
    const padded = ` ${word} `;
    for (let n = min; n <= max; n++) {
      // A word shorter than n gives itself once (padded), as scikit-learn's char_wb does.
      if (padded.length <= n) {
        out.push(padded);
        continue;
      }
      for (let i = 0; i + n <= padded.length; i++) out.push(padded.slice(i, i + n));
    }
  }
}

function termsOf(text: string, block: "word" | "char", range: readonly [number, number]): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  if (block === "word") wordTerms(lower, range, out);
  else charTerms(lower, range, out);
  return out;
}

function checkRange(value: unknown, name: string, fallback: readonly [number, number]): readonly [number, number] | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  if (!Array.isArray(value) || value.length !== 2 || !value.every((n) => Number.isInteger(n) && n >= 1 && n <= 10) || value[0] > value[1]) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `TF-IDF "${name}" must be [min, max] with 1 <= min <= max <= 10, or null; got ${JSON.stringify(value)}.`);
  }
  return [value[0], value[1]];
}

/** A short, stable hash (FNV-1a, 32 bits) of the vocabulary and settings. */
function stateId(state: TfidfState): string {
  let hash = 0x811c9dc5;
  const feed = (text: string) => {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  };
  feed(JSON.stringify([state.wordNgrams, state.charNgrams, state.sublinearTf]));
  for (const term of state.words) feed(`w${term}`);
  for (const term of state.chars) feed(`c${term}`);
  for (const idf of state.idf) feed(idf.toFixed(5));
  return `tfidf-${hash.toString(16).padStart(8, "0")}-${state.idf.length}`;
}

/**
 * Fits a TF-IDF featuriser on training texts (never on test texts).
 * @throws MoeRouterError INVALID_CONFIG for bad options, INSUFFICIENT_DATA when no text
 *   gives a term that occurs in `minDf` texts.
 * @example
 * const tfidf = fitTfidf(trainRows.map((r) => r.text));
 * const x = tfidf.transform("I still have not received my card");
 */
export function fitTfidf(texts: readonly string[], options: TfidfOptions = {}): TfidfFeaturizer {
  const wordNgrams = checkRange(options.wordNgrams, "wordNgrams", [1, 2]);
  const charNgrams = checkRange(options.charNgrams, "charNgrams", [2, 5]);
  if (!wordNgrams && !charNgrams) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "TF-IDF needs word n-grams, character n-grams or both; both are null.");
  const minDf = options.minDf ?? 2;
  const maxFeatures = options.maxFeatures ?? 200_000;
  if (!Number.isInteger(minDf) || minDf < 1) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `TF-IDF "minDf" must be a whole number >= 1; got ${minDf}.`);
  if (!Number.isInteger(maxFeatures) || maxFeatures < 1) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `TF-IDF "maxFeatures" must be a whole number >= 1; got ${maxFeatures}.`);
  if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string")) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "fitTfidf takes an array of training texts.");
  const n = texts.length;
  const vocabulary = (block: "word" | "char", range: readonly [number, number] | null): { terms: string[]; idf: number[] } => {
    if (!range) return { terms: [], idf: [] };
    const df = new Map<string, number>();
    for (const text of texts) for (const term of new Set(termsOf(text, block, range))) df.set(term, (df.get(term) ?? 0) + 1);
    const kept = [...df]
      .filter(([, count]) => count >= minDf)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, maxFeatures);
    kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    // Smoothed idf, as scikit-learn: ln((1 + n) / (1 + df)) + 1.
    return { terms: kept.map(([term]) => term), idf: kept.map(([, count]) => Math.log((1 + n) / (1 + count)) + 1) };
  };
  const words = vocabulary("word", wordNgrams);
  const chars = vocabulary("char", charNgrams);
  if (words.terms.length + chars.terms.length === 0) {
    throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, `No term occurs in ${minDf} or more of the ${n} training texts; give more texts or lower "minDf".`);
  }
  return tfidfFromState({
    format: "moe-router-tfidf",
    version: 1,
    wordNgrams,
    charNgrams,
    sublinearTf: options.sublinearTf ?? true,
    words: words.terms,
    chars: chars.terms,
    idf: [...words.idf, ...chars.idf],
  });
}

/**
 * Restores a featuriser from {@link TfidfFeaturizer.toState} output.
 * @throws MoeRouterError CORRUPT_FILE when the state is not a valid TF-IDF state.
 */
export function tfidfFromState(state: TfidfState): TfidfFeaturizer {
  const corrupt = (why: string) => new MoeRouterError(ErrorCode.CORRUPT_FILE, `TF-IDF state is not valid: ${why}. Retrain the model that holds it (moe-router train).`);
  if (!state || state.format !== "moe-router-tfidf" || state.version !== 1) throw corrupt(`format ${JSON.stringify(state?.format)} version ${JSON.stringify(state?.version)}`);
  if (!Array.isArray(state.words) || !Array.isArray(state.chars) || !Array.isArray(state.idf)) throw corrupt('"words", "chars" and "idf" must be lists');
  if (state.idf.length !== state.words.length + state.chars.length) throw corrupt(`${state.idf.length} idf values for ${state.words.length + state.chars.length} terms`);
  const wordNgrams = state.wordNgrams ? checkRange(state.wordNgrams, "wordNgrams", [1, 2]) : null;
  const charNgrams = state.charNgrams ? checkRange(state.charNgrams, "charNgrams", [2, 5]) : null;
  const wordIndex = new Map(state.words.map((term, i) => [term, i]));
  const charOffset = state.words.length;
  const charIndex = new Map(state.chars.map((term, i) => [term, charOffset + i]));
  const idf = Float64Array.from(state.idf);
  const dimension = idf.length;
  const sublinear = state.sublinearTf;

  /** Appends one block's normalised tf-idf entries to `entries`. */
  const addBlock = (text: string, block: "word" | "char", range: readonly [number, number] | null, index: Map<string, number>, entries: Map<number, number>): void => {
    if (!range) return;
    const counts = new Map<number, number>();
    for (const term of termsOf(text, block, range)) {
      const i = index.get(term);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    let squares = 0;
    for (const [i, count] of counts) {
      const value = (sublinear ? 1 + Math.log(count) : count) * idf[i]!;
      counts.set(i, value);
      squares += value * value;
    }
    const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    for (const [i, value] of counts) entries.set(i, value * scale);
  };

  const featurizer: TfidfFeaturizer = {
    id: "",
    dimension,
    transform(text: string): SparseVector {
      const entries = new Map<number, number>();
      const input = typeof text === "string" ? text : String(text);
      addBlock(input, "word", wordNgrams, wordIndex, entries);
      addBlock(input, "char", charNgrams, charIndex, entries);
      const indices = Int32Array.from([...entries.keys()].sort((a, b) => a - b));
      const values = Float32Array.from(indices, (i) => entries.get(i)!);
      return { dimension, indices, values };
    },
    toState: () => state,
  };
  return { ...featurizer, id: stateId(state) };
}
