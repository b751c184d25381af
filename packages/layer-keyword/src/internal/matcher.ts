import type { Verdict } from "@moe-router/core";
import type { KeywordVerdictDetails } from "../types.js";
import { stemmedTokens } from "./normalise.js";
import type { CompiledRules } from "./rules.js";
import { ruleScore, toProbabilities } from "./score.js";

/** Resolved scoring and fallback settings. */
export interface MatchSettings {
  readonly fallbackExpert: string;
  readonly noMatchConfidence: number;
  readonly matchBoost: number;
  readonly maxBoost: number;
  readonly patternInputCap: number;
}

const STAMP_LIMIT = 0x7fff_fff0;

/**
 * Routes descriptions against compiled rules. Per-route bookkeeping lives in typed
 * arrays allocated once and invalidated by bumping a stamp, so a route allocates only
 * its tokens and its verdict, whatever the number of rules. `match` is synchronous and
 * calls no user code but RegExp#test, so sharing the arrays between calls is safe.
 */
export class Matcher {
  private stamp = 0;
  private readonly termStamp: Int32Array;
  private readonly ruleStamp: Int32Array;
  private readonly ruleWeight: Float64Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;

  constructor(
    private readonly compiled: CompiledRules,
    private readonly settings: MatchSettings,
  ) {
    this.termStamp = new Int32Array(compiled.termLabels.length);
    this.ruleStamp = new Int32Array(compiled.rules.length);
    this.ruleWeight = new Float64Array(compiled.rules.length);
    this.touched = new Int32Array(compiled.rules.length);
  }

  /** The verdict for one description. */
  match(description: string): Verdict {
    if (this.stamp >= STAMP_LIMIT) {
      this.termStamp.fill(0);
      this.ruleStamp.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    this.touchedCount = 0;
    this.matchTerms(stemmedTokens(description), stamp);
    this.matchPatterns(description, stamp);
    return this.touchedCount === 0 ? this.noMatch() : this.verdict(stamp);
  }

  private hit(termId: number, ruleIndex: number, stamp: number): void {
    if (this.termStamp[termId] === stamp) return; // a term counts once per task
    this.termStamp[termId] = stamp;
    if (this.ruleStamp[ruleIndex] !== stamp) {
      this.ruleStamp[ruleIndex] = stamp;
      this.ruleWeight[ruleIndex] = 0;
      this.touched[this.touchedCount++] = ruleIndex;
    }
    this.ruleWeight[ruleIndex]! += this.compiled.termWeights[termId]!;
  }

  private matchTerms(tokens: readonly string[], stamp: number): void {
    const index = this.compiled.index;
    for (let i = 0; i < tokens.length; i++) {
      const entries = index.get(tokens[i]!);
      if (entries === undefined) continue;
      for (const entry of entries) {
        const rest = entry.rest;
        if (rest.length > 0) {
          if (i + rest.length >= tokens.length) continue;
          let k = 0;
          while (k < rest.length && tokens[i + 1 + k] === rest[k]) k++;
          if (k < rest.length) continue;
        }
        this.hit(entry.termId, entry.ruleIndex, stamp);
      }
    }
  }

  private matchPatterns(description: string, stamp: number): void {
    const patterns = this.compiled.patterns;
    if (patterns.length === 0) return;
    // The cap bounds the worst-case time of every accepted pattern (see regex-safety.ts).
    const cap = this.settings.patternInputCap;
    const input = description.length > cap ? description.slice(0, cap) : description;
    for (const pattern of patterns) {
      if (this.termStamp[pattern.termId] !== stamp && pattern.regex.test(input)) this.hit(pattern.termId, pattern.ruleIndex, stamp);
    }
  }

  private verdict(stamp: number): Verdict {
    const { rules, termLabels } = this.compiled;
    const { matchBoost, maxBoost } = this.settings;
    const bestByExpert: Record<string, number> = {};
    let bestRule = -1;
    let bestScore = -1;
    for (let k = 0; k < this.touchedCount; k++) {
      const ruleIndex = this.touched[k]!;
      const rule = rules[ruleIndex]!;
      const score = ruleScore(rule.confidence, this.ruleWeight[ruleIndex]!, matchBoost, maxBoost);
      // Ties go to the earlier rule: rule order is the user's priority order.
      if (score > bestScore || (score === bestScore && ruleIndex < bestRule)) {
        bestScore = score;
        bestRule = ruleIndex;
      }
      const previous = bestByExpert[rule.expert];
      if (previous === undefined || score > previous) bestByExpert[rule.expert] = score;
    }
    const winner = rules[bestRule]!;
    const matched: string[] = [];
    for (const termId of winner.termIds) if (this.termStamp[termId] === stamp) matched.push(termLabels[termId]!);
    const details: KeywordVerdictDetails = { rule_used: winner.name, matched_keywords: matched };
    return { expert: winner.expert, confidence: bestScore, probabilities: toProbabilities(bestByExpert), details };
  }

  private noMatch(): Verdict {
    const details: KeywordVerdictDetails = { rule_used: "fallback", matched_keywords: [] };
    return { expert: this.settings.fallbackExpert, confidence: this.settings.noMatchConfidence, details };
  }
}
