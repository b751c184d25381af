import { describe, expect, it } from "vitest";
import { createCascade, ErrorCode, lookupLayer, type Layer, type LabelledExample, type Verdict } from "@moe-router/core";
import { layerConformance } from "@moe-router/core/testing";
import { fitStacker, fusionLayer } from "../src/index.js";

/** A member that answers fixed probabilities per text and counts its routes. */
function scripted(name: string, answers: Record<string, Record<string, number>>, fallback: Record<string, number> = { a: 0.5, b: 0.5 }): Layer & { calls: number } {
  const layer = {
    name,
    calls: 0,
    capabilities: { deterministic: true },
    route(task: { description: string }): Verdict {
      layer.calls++;
      const probabilities = answers[task.description] ?? fallback;
      const [expert, confidence] = Object.entries(probabilities).sort((x, y) => y[1] - x[1])[0]!;
      return { expert, confidence, probabilities };
    },
  };
  return layer;
}

/** Validation rows where member "good" is right 90% of the time and "noise" is random. */
function rows(): { good: Layer & { calls: number }; noise: Layer & { calls: number }; validation: LabelledExample[] } {
  const good: Record<string, Record<string, number>> = {};
  const noise: Record<string, Record<string, number>> = {};
  const validation: LabelledExample[] = [];
  for (let i = 0; i < 60; i++) {
    const truth = i % 2 ? "a" : "b";
    const other = truth === "a" ? "b" : "a";
    const text = `task ${i}`;
    good[text] = i % 10 === 0 ? { [truth]: 0.3, [other]: 0.7 } : { [truth]: 0.7, [other]: 0.3 };
    noise[text] = i % 3 === 0 ? { [truth]: 0.9, [other]: 0.1 } : { [truth]: 0.1, [other]: 0.9 };
    validation.push({ text, expert: truth });
  }
  return { good: scripted("good", good), noise: scripted("noise", noise), validation };
}

describe("fitStacker", () => {
  it("weights an informative member up and an anti-informative one down, and lowers the NLL", () => {
    const { validation, good, noise } = rows();
    const stackRows = validation.map((example) => ({
      probabilities: [
        (good.route({ description: example.text }, { eventId: "s" }) as Verdict).probabilities!,
        (noise.route({ description: example.text }, { eventId: "s" }) as Verdict).probabilities!,
      ],
      truth: example.expert,
    }));
    const { parameters, nllBefore, nllAfter } = fitStacker(["good", "noise"], ["a", "b"], stackRows);
    expect(parameters.weights[0]).toBeGreaterThan(1);
    expect(parameters.weights[1]).toBeLessThan(0.2);
    expect(nllAfter).toBeLessThan(nllBefore);
    expect(parameters.bias.every((b) => b === 0)).toBe(true);
  });

  it("fits per-expert biases only when asked (classBias)", () => {
    // Member always says 50/50; the truth is "a" 80% of the time: only a bias can learn that prior.
    const stackRows = Array.from({ length: 50 }, (_, i) => ({ probabilities: [{ a: 0.5, b: 0.5 }], truth: i % 5 === 0 ? "b" : "a" }));
    const withBias = fitStacker(["m"], ["a", "b"], stackRows, { classBias: true, iterations: 500 });
    expect(withBias.parameters.bias[0]! - withBias.parameters.bias[1]!).toBeGreaterThan(0.5);
    expect(withBias.nllAfter).toBeLessThan(withBias.nllBefore);
    expect(fitStacker(["m"], ["a", "b"], stackRows).parameters.bias).toEqual([0, 0]);
  });
});

describe("fusionLayer", () => {
  it("answers the fallback with confidence 0 before fit()", () => {
    const { good } = rows();
    const fusion = fusionLayer({ members: [good] });
    expect(fusion.route({ description: "task 1" }, { eventId: "e" })).toMatchObject({ expert: "coordinator-master", confidence: 0 });
  });

  it("fits on validation rows and beats the plain product of its members", async () => {
    const { good, noise, validation } = rows();
    const fusion = fusionLayer({ members: [good, noise] });
    const report = await fusion.fit([], { validation });
    expect(report.accuracy).toBeCloseTo(0.9, 5);
    expect(report.nllAfter).toBeLessThan(report.nllBefore);
    const verdict = fusion.route({ description: "task 3" }, { eventId: "x" }) as Verdict;
    expect(verdict.expert).toBe("a");
    expect(Object.values(verdict.probabilities!).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
  });

  it("reuses the verdicts of wrapped members that ran earlier in the cascade", async () => {
    const { good, noise, validation } = rows();
    const fusion = fusionLayer({ members: [good, noise] });
    await fusion.fit([], { validation });
    const [wrappedGood, wrappedNoise] = fusion.members;
    const cascade = createCascade({
      layers: [
        { layer: wrappedGood!, threshold: 0.99 },
        { layer: wrappedNoise!, threshold: 0.99 },
        { layer: fusion, threshold: 0.5 },
      ],
    });
    const before = good.calls + noise.calls;
    const decision = await cascade.route({ description: "task 5" });
    expect(decision.layer).toBe("fusion");
    expect(decision.expert).toBe("a");
    // Each member ran once (in the cascade); the fusion layer did not run them again.
    expect(good.calls + noise.calls - before).toBe(2);
  });

  it("fits its members first with fitMembers (fusion alone)", async () => {
    const learned: LabelledExample[][] = [];
    const member: Layer = { ...lookupLayer(), learn: async (examples) => void learned.push([...examples]) };
    const { validation } = rows();
    const fusion = fusionLayer({ members: [member], fitMembers: true });
    await fusion.fit([{ text: "x", expert: "a" }], { validation });
    expect(learned).toHaveLength(1);
  });

  it("refuses bad options and a fit without validation rows", async () => {
    expect(() => fusionLayer({ members: [] })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
    const { good } = rows();
    expect(() => fusionLayer({ members: [good], name: "good" })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
    expect(() => fusionLayer({ members: [good], colour: 1 } as never)).toThrow(expect.objectContaining({ code: ErrorCode.UNKNOWN_OPTION }));
    await expect(fusionLayer({ members: [good] }).fit([])).rejects.toMatchObject({ code: ErrorCode.INSUFFICIENT_DATA });
  });

  it("passes over a member that throws", async () => {
    const { good, validation } = rows();
    const broken: Layer = {
      name: "broken",
      route: () => {
        throw new Error("boom");
      },
    };
    const fusion = fusionLayer({ members: [good, broken] });
    await fusion.fit([], { validation });
    expect((fusion.route({ description: "task 3" }, { eventId: "y" }) as Verdict).expert).toBe("a");
  });
});

describe("conformance", () => {
  layerConformance({ describe, it }, () => {
    const security = scripted("s", {}, { "security-master": 0.8, "cicd-master": 0.2 });
    const fusion = fusionLayer({ members: [security] });
    return fusion;
  });
});
