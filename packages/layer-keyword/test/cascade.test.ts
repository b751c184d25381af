import { describe, expect, it } from "vitest";
import { createCascade } from "@moe-router/core";
import { readFileSync } from "node:fs";
import { keywordLayer } from "../src/index.js";

describe("in a cascade", () => {
  const cascade = createCascade({ layers: [{ layer: keywordLayer(), threshold: 0.85 }] });

  it("decides on the keyword layer with the prototype's figures", () => {
    const decision = cascade.routeSync({ description: "Deploy API to production" });
    expect(decision).toMatchObject({ expert: "cicd-master", layer: "keyword", confidence: 0.86 });
    expect(decision.attempts[0]!.details).toEqual({ rule_used: "cicd-keywords", matched_keywords: ["deploy"] });
  });

  it("falls through to clarification below the threshold and on no match", async () => {
    const low = await cascade.route({ description: "Fix login" }); // development 0.82 < 0.85
    expect(low.layer).toBe("clarification");
    expect(low.attempts[0]).toMatchObject({ expert: "development-master", confidence: 0.82, accepted: false });
    const none = await cascade.route({ description: "Update latest docs" });
    expect(none).toMatchObject({ layer: "clarification", expert: "coordinator-master" });
  });

  it("routes the committed mini datasets without errors", () => {
    const lines = readFileSync(new URL("../../../fixtures/datasets/banking77-mini.jsonl", import.meta.url), "utf8")
      .split("\n")
      .filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const description = String(record.text ?? record.description ?? "");
      if (!description.trim()) continue;
      const decision = cascade.routeSync({ description });
      expect(decision.attempts[0]!.error).toBeUndefined();
    }
  });
});
