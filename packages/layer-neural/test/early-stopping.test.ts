import { describe, expect, it } from "vitest";
import { trainHead } from "../src/index.js";
import { clusters } from "./helpers.js";

describe("early stopping", () => {
  // Few examples in many dimensions (unit length, like embeddings): validation loss falls
  // for a while, then the MLP starts memorising training noise and it turns up.
  const data = clusters({ labels: ["a", "b", "c"], perLabel: 30, dimension: 200, spread: 1, seed: 4 }).map((e) => {
    const norm = Math.hypot(...Array.from(e.vector));
    return { ...e, vector: Array.from(e.vector, (x) => x / norm) };
  });

  it("stops once validation loss stops improving and keeps the best epoch's weights", () => {
    const head = trainHead(data, { kind: "mlp", hidden: 64, epochs: 200, patience: 3, validationShare: 0.3 });
    const m = head.metrics!;
    expect(m.stoppedEarly).toBe(true);
    expect(m.epochsRun).toBeLessThan(200);
    expect(m.bestEpoch).toBeGreaterThan(10); // a real descent first, not a bad start
    expect(m.epochsRun).toBe(m.bestEpoch + 3);
    const losses = m.history.map((h) => h.validationLoss!);
    // "Improved" means lower by more than 1e-4, so later epochs may only creep below it.
    expect(losses[m.bestEpoch - 1]! - Math.min(...losses)).toBeLessThanOrEqual(1e-4);
    expect(m.history[m.bestEpoch - 1]!.improved).toBe(true);
    expect(m.history.slice(m.bestEpoch).every((h) => !h.improved)).toBe(true);
    // The kept weights are the best epoch's: the same run cut at that epoch gives them.
    const cut = trainHead(data, { kind: "mlp", hidden: 64, epochs: m.bestEpoch, patience: 1000, validationShare: 0.3 });
    expect(head.layers[0]!.weights).toEqual(cut.layers[0]!.weights);
    expect(head.layers[1]!.bias).toEqual(cut.layers[1]!.bias);
  });

  it("stopOn accuracy keeps the epoch with the best validation accuracy (ties: lower loss)", () => {
    const head = trainHead(data, { kind: "mlp", hidden: 64, epochs: 200, patience: 3, validationShare: 0.3, stopOn: "accuracy" });
    const m = head.metrics!;
    const accuracies = m.history.map((h) => h.validationAccuracy!);
    const best = Math.max(...accuracies);
    expect(accuracies[m.bestEpoch - 1]).toBe(best);
    const tied = m.history.filter((h) => h.validationAccuracy === best).map((h) => h.validationLoss!);
    expect(m.history[m.bestEpoch - 1]!.validationLoss!).toBeLessThanOrEqual(Math.min(...tied) + 1e-4);
    expect(m.validationAccuracy).toBeCloseTo(best, 12);
    expect(() => trainHead(data, { stopOn: "f1" as never })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
  });

  it("runs every epoch without a validation split", () => {
    const head = trainHead(data, { epochs: 7, validationShare: 0 });
    expect(head.metrics!.epochsRun).toBe(7);
    expect(head.metrics!.stoppedEarly).toBe(false);
    expect(head.metrics!.calibration).toBeUndefined();
    expect(head.temperature).toBe(1);
  });
});
