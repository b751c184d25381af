/**
 * Public option and result types of the keyword layer.
 */

/**
 * A keyword or phrase of a rule: the text alone (weight 1) or the text with a weight.
 * Text is normalised like the task (case, punctuation, simple inflections), so
 * `"deploy"` also matches "Deploys", "deploying" and "deployed".
 */
export type KeywordTerm = string | { readonly text: string; readonly weight?: number };

/**
 * A regular expression of a rule. A string is compiled case-insensitively (flags "i");
 * the object form names its own flags. Only the flags i, m, s and u are honoured;
 * g and y are dropped from RegExp objects because they make `test()` stateful.
 * Patterns are checked for catastrophic-backtracking shapes when the layer is built.
 */
export type KeywordPattern = string | RegExp | { readonly pattern: string | RegExp; readonly flags?: string; readonly weight?: number };

/** One routing rule: terms that point to an expert with a given confidence. */
export interface KeywordRule {
  /** Unique rule name, reported as `details.rule_used` (e.g. "security-keywords"). */
  readonly name: string;
  /** Expert this rule routes to (e.g. "security-master"). */
  readonly expert: string;
  /** In [0,1]: the confidence of a verdict that matched one term of weight 1. */
  readonly confidence: number;
  /** Single words (or joined words such as "ci/cd"), matched on word boundaries. */
  readonly keywords?: readonly KeywordTerm[];
  /** Several words that must appear consecutively ("pull request", "merge conflict"). */
  readonly phrases?: readonly KeywordTerm[];
  /** Regular expressions tested against the raw description (first `maxPatternInputLength` characters). */
  readonly patterns?: readonly KeywordPattern[];
}

/** Options of `keywordLayer()` and `createLayer()`. */
export interface KeywordLayerOptions {
  /** Layer name, unique in a cascade. Default "keyword". */
  readonly name?: string;
  /** Rules in priority order (ties go to the earlier rule). Default `DEFAULT_RULES` (the prototype's four). */
  readonly rules?: readonly KeywordRule[];
  /** Expert named when no rule matches. Default "coordinator-master". */
  readonly fallbackExpert?: string;
  /** Confidence of the no-match verdict, in [0,1]. Default 0 (the cascade moves on). */
  readonly noMatchConfidence?: number;
  /** Confidence added per unit of matched weight beyond the first, in [0,1]. Default 0.02. */
  readonly matchBoost?: number;
  /** Cap on the total boost, in [0,1]. Default 0.06. */
  readonly maxBoost?: number;
  /**
   * Patterns see at most this many leading characters of the description, which bounds
   * their running time. Positive integer, default 500. Keywords and phrases see everything.
   */
  readonly maxPatternInputLength?: number;
}

/**
 * The `details` of a keyword verdict (snake_case, as in the prototype's event log).
 * A type alias rather than an interface so it fits core's `Verdict.details` record.
 */
export type KeywordVerdictDetails = {
  /** Name of the winning rule, or "fallback" when nothing matched. */
  readonly rule_used: string;
  /** Terms of the winning rule that matched, in rule order, as written in the rule. Patterns appear as `/source/flags`. */
  readonly matched_keywords: readonly string[];
};
