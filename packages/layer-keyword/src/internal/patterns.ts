import type { KeywordPattern } from "../types.js";
import { checkKnownKeys as rejectUnknownKeys, isPlainObject } from "@moe-router/core/kit";
import { invalidConfig } from "./errors.js";
import { findUnsafePattern } from "./regex-safety.js";

/** A pattern ready to test: stateless regex, weight and the label reported in details. */
export interface CompiledPattern {
  readonly regex: RegExp;
  readonly weight: number;
  readonly label: string;
}

const PATTERN_KEYS = ["pattern", "flags", "weight"] as const;
const ALLOWED_FLAGS = new Set(["i", "m", "s", "u"]);

/** Positive finite weight (default 1), or a coded error naming where it was. */
export function checkWeight(weight: unknown, where: string): number {
  if (weight === undefined) return 1;
  if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0) {
    throw invalidConfig(`${where}.weight must be a positive number (1 is a normal term, 0.5 half as strong); got ${String(weight)}.`, { where });
  }
  return weight;
}

function checkFlags(flags: string, where: string): string {
  for (const flag of flags) {
    if (!ALLOWED_FLAGS.has(flag)) {
      throw invalidConfig(`${where} has flag "${flag}"; only i, m, s and u are supported (g and y make matching stateful, v is not supported: use u).`, { where, flags });
    }
  }
  return flags;
}

/**
 * Compiles one pattern of a rule and refuses shapes that could backtrack catastrophically.
 * `inputCap` is the longest input the pattern will see; it bounds the polynomial check.
 */
export function compilePattern(spec: KeywordPattern, where: string, inputCap: number): CompiledPattern {
  let source: string;
  let flags: string;
  let weight = 1;
  if (typeof spec === "string") {
    source = spec;
    flags = "i";
  } else if (spec instanceof RegExp) {
    source = spec.source;
    // g and y keep lastIndex between calls: a shared layer would answer differently each time.
    flags = spec.flags.replace(/[gyd]/g, "");
  } else if (isPlainObject(spec)) {
    rejectUnknownKeys(spec, PATTERN_KEYS, where);
    const inner = spec.pattern;
    if (typeof inner === "string") source = inner;
    else if (inner instanceof RegExp) source = inner.source;
    else throw invalidConfig(`${where}.pattern must be a string or a RegExp, e.g. { pattern: "\\\\bCVE-\\\\d{4}-\\\\d+", weight: 1 }.`, { where });
    if (spec.flags !== undefined && typeof spec.flags !== "string") throw invalidConfig(`${where}.flags must be a string such as "i".`, { where });
    flags = spec.flags ?? (inner instanceof RegExp ? inner.flags.replace(/[gyd]/g, "") : "i");
    weight = checkWeight(spec.weight, where);
  } else {
    throw invalidConfig(`${where} must be a string, a RegExp or { pattern, flags?, weight? }; got ${spec === null ? "null" : typeof spec}.`, { where });
  }
  if (source.length === 0 || source === "(?:)") throw invalidConfig(`${where} is empty; an empty pattern matches every task. Remove it.`, { where });
  checkFlags(flags, where);
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    throw invalidConfig(`${where} is not a valid regular expression (${(error as Error).message}). Fix the syntax or use keywords instead.`, { where, pattern: source });
  }
  const problem = findUnsafePattern(regex, inputCap);
  if (problem) {
    throw invalidConfig(`${where} /${source}/ is refused because ${problem}`, { where, pattern: source, reason: "unsafe-pattern" });
  }
  return { regex, weight, label: `/${source}/${flags}` };
}
