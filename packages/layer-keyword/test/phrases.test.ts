import { describe, expect, it } from "vitest";
import { keywordLayer, type KeywordRule } from "../src/index.js";
import { route } from "./helpers.js";

describe("phrases and joined keywords", () => {
  const layer = keywordLayer({
    rules: [
      { name: "git", expert: "development-master", confidence: 0.8, phrases: ["merge conflict", "pull requests"] },
      { name: "cicd", expert: "cicd-master", confidence: 0.86, keywords: ["ci/cd", "pipeline"] },
    ],
  });

  it("matches a phrase only as consecutive tokens, with inflections", () => {
    expect(route(layer, "Resolve the merge conflicts in main").details.matched_keywords).toEqual(["merge conflict"]);
    expect(route(layer, "Review my pull request please").details.matched_keywords).toEqual(["pull requests"]);
    expect(route(layer, "Merge the branch, no conflict").details.rule_used).toBe("fallback");
    expect(route(layer, "conflict merge").details.rule_used).toBe("fallback");
  });

  it("does not match a phrase cut off at the end of the task", () => {
    expect(route(layer, "Please merge").details.rule_used).toBe("fallback");
  });

  it("matches the rule keyword 'ci/cd' in its usual spellings", () => {
    for (const text of ["Set up CI/CD for the repo", "ci-cd is broken", "CI / CD please"]) {
      const verdict = route(layer, text);
      expect(verdict.expert, text).toBe("cicd-master");
      expect(verdict.details.matched_keywords, text).toEqual(["ci/cd"]);
    }
    expect(route(layer, "The CI server and the CD drive").details.rule_used).toBe("fallback");
  });

  it("indexes many rules sharing a first word", () => {
    const rules: KeywordRule[] = Array.from({ length: 300 }, (_, i) => ({
      name: `r${i}`,
      expert: `expert-${i % 7}`,
      confidence: 0.5,
      phrases: [`update service${i}`],
    }));
    const big = keywordLayer({ rules });
    const verdict = route(big, "Please update service217 today");
    expect(verdict.details.rule_used).toBe("r217");
    expect(verdict.expert).toBe("expert-0");
  });
});
