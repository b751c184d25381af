import { describe, expect, it } from "vitest";
import { DEFAULT_RULES, keywordLayer } from "../src/index.js";
import { route } from "./helpers.js";

// The Python prototype's routing examples, translated: same experts and confidences,
// without its substring bug.
describe("default rules (the prototype's four)", () => {
  const layer = keywordLayer();

  it("routes 'Deploy API to production' to cicd-master with 0.86", () => {
    const verdict = route(layer, "Deploy API to production");
    expect(verdict.expert).toBe("cicd-master");
    expect(verdict.confidence).toBe(0.86);
    expect(verdict.details).toEqual({ rule_used: "cicd-keywords", matched_keywords: ["deploy"] });
  });

  it("routes 'Fix bug in authentication' to development-master", () => {
    const verdict = route(layer, "Fix bug in authentication");
    expect(verdict.expert).toBe("development-master");
    expect(verdict.details.rule_used).toBe("development-keywords");
    expect(verdict.details.matched_keywords).toEqual(["fix", "bug"]);
  });

  it("routes 'Run security audit' to security-master", () => {
    const verdict = route(layer, "Run security audit");
    expect(verdict.expert).toBe("security-master");
    expect(verdict.details.matched_keywords).toEqual(["security", "audit"]);
  });

  it("routes 'Catalog all dependencies' to inventory-master (plural of 'dependency')", () => {
    const verdict = route(layer, "Catalog all dependencies");
    expect(verdict.expert).toBe("inventory-master");
    expect(verdict.details.matched_keywords).toEqual(["catalog", "dependency"]);
  });

  it("does not hit cicd for 'Update latest docs' ('test' inside 'latest')", () => {
    const verdict = route(layer, "Update latest docs");
    expect(verdict.expert).not.toBe("cicd-master");
    expect(verdict).toEqual({ expert: "coordinator-master", confidence: 0, details: { rule_used: "fallback", matched_keywords: [] } });
  });

  it("does not match other words that merely contain a keyword", () => {
    for (const text of ["Rebuilding trust with the contest winners", "Prefix the attestation", "Debugger scanner output"]) {
      const verdict = route(layer, text);
      expect(verdict.details.rule_used, text).toBe("fallback");
    }
  });

  it("keeps the prototype's rule names, experts, confidences and order", () => {
    expect(DEFAULT_RULES.map((rule) => [rule.name, rule.expert, rule.confidence])).toEqual([
      ["security-keywords", "security-master", 0.88],
      ["cicd-keywords", "cicd-master", 0.86],
      ["inventory-keywords", "inventory-master", 0.85],
      ["development-keywords", "development-master", 0.82],
    ]);
    expect(DEFAULT_RULES[1]!.keywords).toContain("ci/cd");
    expect(Object.isFrozen(DEFAULT_RULES)).toBe(true);
  });

  it("prefers the higher-confidence rule when two rules match once each, as the prototype's order did", () => {
    expect(route(layer, "Fix the build").expert).toBe("cicd-master");
    expect(route(layer, "Run a test of the security scanner fix").expert).toBe("security-master");
  });

  it("declares itself synchronous, deterministic and closed over its experts", () => {
    expect(layer.name).toBe("keyword");
    expect(layer.capabilities).toEqual({
      deterministic: true,
      experts: ["security-master", "cicd-master", "inventory-master", "development-master", "coordinator-master"],
    });
    expect(layer.learn).toBeUndefined();
  });
});
