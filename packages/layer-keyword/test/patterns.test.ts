import { describe, expect, it } from "vitest";
import { keywordLayer } from "../src/index.js";
import { route, thrown } from "./helpers.js";

const rule = (patterns: unknown[]) => ({ name: "p", expert: "security-master", confidence: 0.9, patterns }) as never;

describe("patterns", () => {
  it("compiles strings case-insensitively and reports /source/flags", () => {
    const layer = keywordLayer({ rules: [rule(["\\bcve-\\d{4}-\\d{4,7}\\b"])] });
    const verdict = route(layer, "Patch CVE-2024-12345 today");
    expect(verdict.expert).toBe("security-master");
    expect(verdict.confidence).toBe(0.9);
    expect(verdict.details.matched_keywords).toEqual(["/\\bcve-\\d{4}-\\d{4,7}\\b/i"]);
  });

  it("accepts RegExp objects and keeps their case sensitivity", () => {
    const layer = keywordLayer({ rules: [rule([/\bPAY-\d+/])] });
    expect(route(layer, "ticket PAY-12").details.rule_used).toBe("p");
    expect(route(layer, "ticket pay-12").details.rule_used).toBe("fallback");
  });

  it("drops g and y so repeated calls give the same answer", () => {
    const layer = keywordLayer({ rules: [rule([/deploy/gy])] });
    for (let i = 0; i < 3; i++) expect(route(layer, "deploy").details.rule_used).toBe("p");
  });

  it("accepts { pattern, flags, weight }", () => {
    const layer = keywordLayer({ rules: [rule([{ pattern: "^urgent", flags: "", weight: 0.5 }])] });
    expect(route(layer, "urgent: fix prod").confidence).toBe(0.45);
    expect(route(layer, "URGENT: fix prod").details.rule_used).toBe("fallback");
  });

  it("lets patterns see only the first maxPatternInputLength characters", () => {
    const layer = keywordLayer({ maxPatternInputLength: 20, rules: [rule(["secret"])] });
    expect(route(layer, "leaked secret").details.rule_used).toBe("p");
    expect(route(layer, `${"x".repeat(30)} leaked secret`).details.rule_used).toBe("fallback");
  });

  it("combines patterns with keywords of the same rule", () => {
    const layer = keywordLayer({
      rules: [{ name: "sec", expert: "security-master", confidence: 0.8, keywords: ["leak"], patterns: ["token\\s*=\\s*\\w+"] }],
    });
    const verdict = route(layer, "Leak: token = abc123");
    expect(verdict.details.matched_keywords).toEqual(["leak", "/token\\s*=\\s*\\w+/i"]);
    expect(verdict.confidence).toBe(0.82);
  });

  it("rejects invalid syntax, unsupported flags and empty patterns with coded errors", () => {
    expect(thrown(() => keywordLayer({ rules: [rule(["(unclosed"])] }))).toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringContaining("not a valid regular expression") });
    expect(thrown(() => keywordLayer({ rules: [rule([{ pattern: "x", flags: "g" }])] }))).toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringContaining('flag "g"') });
    expect(thrown(() => keywordLayer({ rules: [rule([""])] }))).toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringContaining("empty") });
    expect(thrown(() => keywordLayer({ rules: [rule([42])] }))).toMatchObject({ code: "MOE_INVALID_CONFIG" });
    expect(thrown(() => keywordLayer({ rules: [rule([{ pattern: "x", flag: "i" }])] }))).toMatchObject({ code: "MOE_UNKNOWN_OPTION" });
  });
});
