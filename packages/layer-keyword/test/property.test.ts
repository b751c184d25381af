import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_RULES, keywordLayer } from "../src/index.js";

describe("properties", () => {
  const layer = keywordLayer({
    rules: [...DEFAULT_RULES, { name: "pat", expert: "security-master", confidence: 0.95, phrases: ["api key"], patterns: ["\\bcve-\\d+", /token\s*=\s*\w+/] }],
  });
  const experts = new Set(layer.capabilities!.experts);

  it("never throws on arbitrary strings, and keeps confidence and probabilities in [0,1]", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 120 }),
      fc.array(fc.constantFrom("deploy", "fix", "CVE-12", "api", "key", "tests", "ci/cd", "!", " ", "é", "日本"), { maxLength: 40 }).map((words) => words.join(" ")),
    );
    fc.assert(
      fc.property(text, (description) => {
        const verdict = layer.route({ description }, { eventId: "p" }) as { expert: string; confidence: number; probabilities?: Record<string, number> };
        expect(verdict.confidence).toBeGreaterThanOrEqual(0);
        expect(verdict.confidence).toBeLessThanOrEqual(1);
        expect(experts.has(verdict.expert)).toBe(true);
        const values = Object.values(verdict.probabilities ?? {});
        for (const p of values) expect(p >= 0 && p <= 1).toBe(true);
        expect(values.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic: the same text gives the same verdict", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (description) => {
        const a = layer.route({ description }, { eventId: "a" });
        const b = layer.route({ description }, { eventId: "b" });
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it("ignores case and surrounding punctuation", () => {
    fc.assert(
      fc.property(fc.constantFrom(...DEFAULT_RULES.flatMap((rule) => rule.keywords as string[])), fc.constantFrom("", "!", "(", ", ", "..."), (word, punctuation) => {
        const plain = layer.route({ description: word }, { eventId: "a" });
        const noisy = layer.route({ description: `${punctuation}${word.toUpperCase()}${punctuation}` }, { eventId: "b" });
        expect(noisy).toEqual(plain);
      }),
    );
  });
});
