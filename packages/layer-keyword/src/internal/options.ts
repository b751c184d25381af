import { isUnitInterval } from "@moe-router/core";
import { DEFAULT_RULES } from "../default-rules.js";
import type { KeywordLayerOptions } from "../types.js";
import { invalidConfig, isPlainObject, rejectUnknownKeys } from "./errors.js";
import type { MatchSettings } from "./matcher.js";
import { compileRules, type CompiledRules } from "./rules.js";

/** Defaults of every option but `rules`, in one place. */
export const DEFAULTS = {
  name: "keyword",
  fallbackExpert: "coordinator-master",
  noMatchConfidence: 0,
  matchBoost: 0.02,
  maxBoost: 0.06,
  maxPatternInputLength: 500,
} as const;

const OPTION_KEYS = ["name", "rules", "fallbackExpert", "noMatchConfidence", "matchBoost", "maxBoost", "maxPatternInputLength"] as const;

/** Validated options: the layer name, compiled rules and matcher settings. */
export interface ResolvedOptions {
  readonly name: string;
  readonly compiled: CompiledRules;
  readonly settings: MatchSettings;
}

function unitOption(options: KeywordLayerOptions, key: "noMatchConfidence" | "matchBoost" | "maxBoost", hint: string): number {
  const value = options[key];
  if (value === undefined) return DEFAULTS[key];
  if (!isUnitInterval(value)) throw invalidConfig(`option "${key}" must be a number in [0,1] (${hint}); got ${String(value)}.`, { option: key });
  return value;
}

/** Validates options (coded errors that say how to fix them) and compiles the rules. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (input === undefined || input === null) input = {};
  if (!isPlainObject(input)) {
    throw invalidConfig(`options must be an object such as { rules: [...] } (or nothing, for the default rules); got ${Array.isArray(input) ? "an array" : typeof input}.`);
  }
  rejectUnknownKeys(input, OPTION_KEYS, "keyword layer options");
  const options = input as KeywordLayerOptions;
  const name = options.name ?? DEFAULTS.name;
  if (typeof name !== "string" || name.trim().length === 0) throw invalidConfig('option "name" must be a non-empty string such as "keyword".', { option: "name" });
  const fallbackExpert = options.fallbackExpert ?? DEFAULTS.fallbackExpert;
  if (typeof fallbackExpert !== "string" || fallbackExpert.trim().length === 0) {
    throw invalidConfig('option "fallbackExpert" must be a non-empty expert name such as "coordinator-master".', { option: "fallbackExpert" });
  }
  const noMatchConfidence = unitOption(options, "noMatchConfidence", "the confidence reported when no rule matches; 0 lets the cascade move on");
  const matchBoost = unitOption(options, "matchBoost", "confidence added per extra matched term, e.g. 0.02");
  const maxBoost = unitOption(options, "maxBoost", "the cap on the total boost, e.g. 0.06");
  const cap = options.maxPatternInputLength ?? DEFAULTS.maxPatternInputLength;
  if (!Number.isInteger(cap) || cap <= 0) {
    throw invalidConfig(`option "maxPatternInputLength" must be a positive integer number of characters, e.g. 500; got ${String(cap)}.`, { option: "maxPatternInputLength" });
  }
  const compiled = compileRules(options.rules ?? DEFAULT_RULES, cap);
  return { name, compiled, settings: { fallbackExpert, noMatchConfidence, matchBoost, maxBoost, patternInputCap: cap } };
}
