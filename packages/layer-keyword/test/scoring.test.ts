import { describe, expect, it } from "vitest";
import { keywordLayer, type KeywordRule } from "../src/index.js";
import { ruleScore } from "../src/internal/score.js";
import { route } from "./helpers.js";

const rules: KeywordRule[] = [
  { name: "a", expert: "alpha", confidence: 0.8, keywords: ["one", "two", "three", "four", "five", "six"] },
  { name: "b", expert: "beta", confidence: 0.8, keywords: ["same"] },
  { name: "c", expert: "gamma", confidence: 0.8, keywords: ["same", { text: "weak", weight: 0.5 }, { text: "strong", weight: 3 }] },
  { name: "d", expert: "beta", confidence: 0.7, keywords: ["other"] },
];

describe("scoring", () => {
  const layer = keywordLayer({ rules });

  it("gives the rule confidence for one matched term", () => {
    expect(route(layer, "one").confidence).toBe(0.8);
  });

  it("adds matchBoost per extra term, capped at maxBoost", () => {
    expect(route(layer, "one two").confidence).toBe(0.82);
    expect(route(layer, "one two three").confidence).toBe(0.84);
    expect(route(layer, "one two three four five six").confidence).toBe(0.86);
  });

  it("counts a repeated term once", () => {
    expect(route(layer, "one one one one").confidence).toBe(0.8);
  });

  it("scales by weight: a light term alone gives less, a heavy one boosts", () => {
    expect(route(layer, "weak").confidence).toBe(0.4);
    expect(route(layer, "strong").confidence).toBe(0.84);
  });

  it("breaks ties by rule order", () => {
    const verdict = route(layer, "same");
    expect(verdict.details.rule_used).toBe("b");
    expect(verdict.expert).toBe("beta");
  });

  it("never exceeds 1", () => {
    const top = keywordLayer({ maxBoost: 1, matchBoost: 1, rules: [{ name: "x", expert: "e", confidence: 0.99, keywords: ["a1", "a2", "a3"] }] });
    expect(route(top, "a1 a2 a3").confidence).toBe(1);
    expect(ruleScore(1, 50, 1, 1)).toBe(1);
  });

  it("honours matchBoost and maxBoost options", () => {
    const flat = keywordLayer({ rules, matchBoost: 0 });
    expect(route(flat, "one two three").confidence).toBe(0.8);
    const capped = keywordLayer({ rules, maxBoost: 0.03 });
    expect(route(capped, "one two three four").confidence).toBe(0.83);
  });

  it("gives a distribution over matched experts that sums to at most 1", () => {
    const single = route(layer, "one");
    expect(single.probabilities).toEqual({ alpha: 0.8 });
    const several = route(layer, "one other same");
    const probabilities = several.probabilities!;
    expect(Object.keys(probabilities).sort()).toEqual(["alpha", "beta", "gamma"]);
    const sum = Object.values(probabilities).reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(1);
    expect(sum).toBeGreaterThan(0.999);
    // beta's best rule (b, 0.8) counts, not its weaker one (d, 0.7)
    expect(probabilities.beta).toBeCloseTo(0.8 / 2.4, 5);
  });

  it("answers the fallback expert with noMatchConfidence when nothing matches", () => {
    expect(route(layer, "nothing here")).toEqual({ expert: "coordinator-master", confidence: 0, details: { rule_used: "fallback", matched_keywords: [] } });
    const custom = keywordLayer({ rules, fallbackExpert: "triage", noMatchConfidence: 0.3 });
    expect(route(custom, "nothing here")).toMatchObject({ expert: "triage", confidence: 0.3 });
    expect(custom.capabilities?.experts).toContain("triage");
  });

  it("reports matched terms in rule order", () => {
    expect(route(layer, "three then one").details.matched_keywords).toEqual(["one", "three"]);
  });
});
