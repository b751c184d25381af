import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignVariant, createCascade, lookupLayer, sampled } from "../src/index.js";

describe("A/B assignment", () => {
  it("is deterministic for a task id", () => {
    fc.assert(
      fc.property(fc.string(), fc.double({ min: 0, max: 1, noNaN: true }), (id, share) => {
        expect(assignVariant(id, "exp", share)).toBe(assignVariant(id, "exp", share));
      }),
    );
  });

  it("assigns about the requested share to the candidate", () => {
    let candidates = 0;
    for (let i = 0; i < 20_000; i++) if (assignVariant(`task-${i}`, "thresholds-2026-11", 0.2) === "candidate") candidates++;
    expect(candidates / 20_000).toBeGreaterThan(0.185);
    expect(candidates / 20_000).toBeLessThan(0.215);
  });

  it("reshuffles with a new experiment name and honours the 0 and 1 extremes", () => {
    const a = Array.from({ length: 200 }, (_, i) => assignVariant(`t${i}`, "one", 0.5));
    const b = Array.from({ length: 200 }, (_, i) => assignVariant(`t${i}`, "two", 0.5));
    expect(a).not.toEqual(b);
    expect(assignVariant("t", "x", 0)).toBe("control");
    expect(assignVariant("t", "x", 1)).toBe("candidate");
    expect(sampled("t", "s", 0)).toBe(false);
  });

  it("routes the candidate variant with candidate thresholds and records the variant", async () => {
    const layer = lookupLayer({ examples: [{ text: "deploy", expert: "cicd-master" }], matchConfidence: 0.8 });
    const cascade = createCascade({
      layers: [{ layer, threshold: 0.9 }],
      experiment: { name: "lower-keyword", share: 0.5, candidateThresholds: { lookup: 0.75 } },
    });
    const seen = { control: 0, candidate: 0 };
    for (let i = 0; i < 100; i++) {
      const decision = await cascade.route({ id: `task-${i}`, description: "deploy" });
      const variant = decision.experiment!.variant;
      seen[variant]++;
      expect(decision.layer).toBe(variant === "candidate" ? "lookup" : "clarification");
      expect(decision.thresholds.lookup).toBe(variant === "candidate" ? 0.75 : 0.9);
    }
    expect(seen.control).toBeGreaterThan(20);
    expect(seen.candidate).toBeGreaterThan(20);
  });
});
