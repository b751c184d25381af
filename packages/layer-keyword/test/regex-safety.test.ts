import { describe, expect, it } from "vitest";
import { keywordLayer } from "../src/index.js";
import { findUnsafePattern } from "../src/internal/regex-safety.js";
import { thrown } from "./helpers.js";

const withPattern = (pattern: string | RegExp, maxPatternInputLength?: number) =>
  keywordLayer({ maxPatternInputLength, rules: [{ name: "p", expert: "security-master", confidence: 0.9, patterns: [pattern] }] });

describe("evil regexes are refused when the layer is built", () => {
  it.each([
    ["(a+)+$", "nested quantifiers"],
    ["(a*)*b", "nested quantifiers"],
    ["(\\w+\\s?)+$", "nested quantifiers"],
    ["^(([a-z])+.)+[A-Z]([a-z])+$", "nested quantifiers"],
    ["(.*a){12}", "nested quantifiers"],
    ["(x|x)*y", "alternatives can match the same text"],
    ["(a|ab)+c", "alternatives can match the same text"],
    ["(\\w|\\d)+$", "alternatives can match the same text"],
    ["(a|)*b", "alternatives can match the same text"],
    ["(\\w)\\1+", "back-reference"],
    ["\\d+\\d+x", "backtracking steps"],
    [".*a.*b.*c", "backtracking steps"],
  ])("/%s/ (%s)", (pattern, reason) => {
    const error = thrown(() => withPattern(pattern));
    expect(error.code).toBe("MOE_INVALID_CONFIG");
    expect(error.message).toContain(reason);
    expect(error.message).toContain("rules[0].patterns[0]");
    expect(error.data).toMatchObject({ reason: "unsafe-pattern", pattern });
  });

  it("tells how to rewrite", () => {
    expect(thrown(() => withPattern("(a+)+$")).message).toMatch(/Rewrite it with a single quantifier/);
    expect(thrown(() => withPattern("(x|x)*y")).message).toMatch(/start with different characters/);
    expect(thrown(() => withPattern(".*a.*b.*c")).message).toMatch(/Anchor the pattern with "\^"/);
  });

  it("checks RegExp objects and object specs too", () => {
    expect(thrown(() => withPattern(/(a+)+$/)).code).toBe("MOE_INVALID_CONFIG");
    expect(thrown(() => keywordLayer({ rules: [{ name: "p", expert: "e", confidence: 1, patterns: [{ pattern: /(x|x)*y/ }] }] })).code).toBe("MOE_INVALID_CONFIG");
  });

  it.each([
    "\\bCVE-\\d{4}-\\d{4,7}\\b",
    "deploy.*prod",
    "^.*a.*b$",
    "(foo|bar)+",
    "(a|b)+",
    "(\\d|x)+",
    "\\w+@\\w+\\.\\w+",
    "deploy.{0,60}prod.{0,60}env",
    "(?:https?://)?example\\.com",
    "(?=.*urgent).*deploy",
    "[{}]+",
  ])("accepts the safe pattern /%s/", (pattern) => {
    expect(() => withPattern(pattern)).not.toThrow();
  });

  it("bounds the polynomial estimate by the input cap: a shorter cap admits more", () => {
    expect(findUnsafePattern(/^\d+\d+\d+x/, 500)).toMatch(/backtracking steps/);
    expect(findUnsafePattern(/^\d+\d+\d+x/, 100)).toBeUndefined();
    expect(findUnsafePattern(/deploy.*prod/, 10_000)).toMatch(/backtracking steps/);
    expect(findUnsafePattern(/^deploy.*prod/, 10_000)).toBeUndefined();
  });

  it("does not treat ^ as an anchor under the m flag", () => {
    expect(findUnsafePattern(/^\d+\d+x/, 500)).toBeUndefined();
    expect(findUnsafePattern(/^\d+\d+x/m, 500)).toMatch(/backtracking steps/);
  });
});
