import type { KeywordRule } from "./types.js";

function freezeRule(rule: KeywordRule): KeywordRule {
  return Object.freeze({ ...rule, keywords: Object.freeze([...(rule.keywords ?? [])]) });
}

/**
 * The Python prototype's four keyword rules (`_keyword_match`), in its priority order.
 * Extend rather than copy: `keywordLayer({ rules: [...DEFAULT_RULES, myRule] })`.
 */
export const DEFAULT_RULES: readonly KeywordRule[] = Object.freeze([
  freezeRule({
    name: "security-keywords",
    expert: "security-master",
    confidence: 0.88,
    keywords: ["security", "vulnerability", "cve", "audit", "scan"],
  }),
  freezeRule({
    name: "cicd-keywords",
    expert: "cicd-master",
    confidence: 0.86,
    keywords: ["build", "deploy", "ci/cd", "pipeline", "test"],
  }),
  freezeRule({
    name: "inventory-keywords",
    expert: "inventory-master",
    confidence: 0.85,
    keywords: ["document", "catalog", "inventory", "dependency"],
  }),
  freezeRule({
    name: "development-keywords",
    expert: "development-master",
    confidence: 0.82,
    keywords: ["fix", "bug", "implement", "feature", "refactor"],
  }),
]);
