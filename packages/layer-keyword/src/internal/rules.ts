import { isUnitInterval } from "@moe-router/core";
import type { KeywordRule, KeywordTerm } from "../types.js";
import { checkKnownKeys as rejectUnknownKeys, isPlainObject } from "@moe-router/core/kit";
import { invalidConfig } from "./errors.js";
import { stemmedTokens } from "./normalise.js";
import { checkWeight, compilePattern, type CompiledPattern } from "./patterns.js";

/** A term occurrence indexed under its first stem; `rest` are the stems that must follow. */
export interface IndexEntry {
  readonly termId: number;
  readonly ruleIndex: number;
  readonly rest: readonly string[];
}

/** A rule after validation. Its terms are numbered; `termIds` keeps rule order. */
export interface CompiledRule {
  readonly name: string;
  readonly expert: string;
  readonly confidence: number;
  readonly termIds: readonly number[];
}

/** Everything the matcher needs, built once at construction. */
export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  /** Per term id: the text reported in `matched_keywords`, and its weight. */
  readonly termLabels: readonly string[];
  readonly termWeights: Float64Array;
  /** First stem -> terms starting with it (single words are phrases of one stem). */
  readonly index: ReadonlyMap<string, readonly IndexEntry[]>;
  /** Patterns, tested one by one, with their term id and rule. */
  readonly patterns: readonly (CompiledPattern & { readonly termId: number; readonly ruleIndex: number })[];
}

const RULE_KEYS = ["name", "expert", "confidence", "keywords", "phrases", "patterns"] as const;
const TERM_KEYS = ["text", "weight"] as const;

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

function termText(term: KeywordTerm, where: string): { text: string; weight: number } {
  if (typeof term === "string") return { text: term, weight: 1 };
  if (!isPlainObject(term)) throw invalidConfig(`${where} must be a string or { text, weight? }; got ${term === null ? "null" : typeof term}.`, { where });
  rejectUnknownKeys(term, TERM_KEYS, where);
  if (typeof term.text !== "string") throw invalidConfig(`${where}.text must be a string such as "deploy".`, { where });
  return { text: term.text, weight: checkWeight(term.weight, where) };
}

function listOf(value: unknown, where: string): readonly unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidConfig(`${where} must be an array; got ${typeof value}.`, { where });
  return value;
}

/**
 * Validates rules and builds the token index: a Map from normalised first token to the
 * terms that start with it, so routing costs one Map lookup per task token whatever
 * the number of rules. Patterns cannot be indexed and are kept in a list.
 */
export function compileRules(rules: unknown, patternInputCap: number): CompiledRules {
  if (!Array.isArray(rules) || rules.length === 0) {
    throw invalidConfig('"rules" must be a non-empty array of { name, expert, confidence, keywords?, phrases?, patterns? }; omit it to use DEFAULT_RULES.');
  }
  const compiled: CompiledRule[] = [];
  const termLabels: string[] = [];
  const weights: number[] = [];
  const index = new Map<string, IndexEntry[]>();
  const patterns: (CompiledPattern & { termId: number; ruleIndex: number })[] = [];
  const names = new Set<string>();

  rules.forEach((rule: unknown, ruleIndex) => {
    const where = `rules[${ruleIndex}]`;
    if (!isPlainObject(rule)) throw invalidConfig(`${where} must be an object { name, expert, confidence, keywords? }.`, { where });
    rejectUnknownKeys(rule, RULE_KEYS, where);
    const { name, expert, confidence } = rule as Partial<KeywordRule>;
    if (!nonEmptyString(name)) throw invalidConfig(`${where}.name must be a non-empty string such as "security-keywords".`, { where });
    if (names.has(name)) throw invalidConfig(`rule name "${name}" appears twice; give each rule its own name (it is reported as details.rule_used).`, { where, rule: name });
    if (name === "fallback") throw invalidConfig(`${where}.name "fallback" is reserved for the no-match verdict; choose another name.`, { where });
    names.add(name);
    if (!nonEmptyString(expert)) throw invalidConfig(`${where}.expert (rule "${name}") must be a non-empty expert name such as "security-master".`, { where, rule: name });
    if (!isUnitInterval(confidence)) {
      throw invalidConfig(`${where}.confidence (rule "${name}") must be a number in [0,1], e.g. 0.88; got ${String(confidence)}.`, { where, rule: name });
    }

    const termIds: number[] = [];
    const seen = new Map<string, string>();
    const addTerm = (label: string, weight: number): number => {
      const termId = termLabels.length;
      termLabels.push(label);
      weights.push(weight);
      termIds.push(termId);
      return termId;
    };
    for (const field of ["keywords", "phrases"] as const) {
      listOf(rule[field], `${where}.${field}`).forEach((term, termIndex) => {
        const at = `${where}.${field}[${termIndex}]`;
        const { text, weight } = termText(term as KeywordTerm, at);
        const stems = stemmedTokens(text);
        if (stems.length === 0) throw invalidConfig(`${at} "${text}" has no letters or digits to match; use a pattern for punctuation.`, { where: at });
        const key = stems.join(" ");
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          throw invalidConfig(`${at} "${text}" is the same as "${earlier}" after normalisation (inflections match automatically); remove one.`, { where: at, rule: name });
        }
        seen.set(key, text);
        const termId = addTerm(text, weight);
        const entries = index.get(stems[0]!) ?? [];
        entries.push({ termId, ruleIndex, rest: stems.slice(1) });
        index.set(stems[0]!, entries);
      });
    }
    listOf(rule.patterns, `${where}.patterns`).forEach((pattern, patternIndex) => {
      const compiledPattern = compilePattern(pattern as never, `${where}.patterns[${patternIndex}]`, patternInputCap);
      const termId = addTerm(compiledPattern.label, compiledPattern.weight);
      patterns.push({ ...compiledPattern, termId, ruleIndex });
    });
    if (termIds.length === 0) {
      throw invalidConfig(`rule "${name}" has no keywords, phrases or patterns, so it can never match; add at least one.`, { where, rule: name });
    }
    compiled.push({ name, expert, confidence, termIds });
  });

  return { rules: compiled, termLabels, termWeights: Float64Array.from(weights), index, patterns };
}
