import { describe, expect, it } from "vitest";
import { isMoeRouterError } from "@moe-router/core";
import { trainHead, type TrainingExample } from "../src/index.js";
import { accuracy, clusters } from "./helpers.js";

const labels = ["alpha", "beta", "gamma", "delta"];

describe("trainHead", () => {
  it("converges on separable clusters (softmax and mlp)", () => {
    const all = clusters({ labels, perLabel: 60, dimension: 16, spread: 0.3, seed: 1 });
    const train = all.filter((_, i) => i % 3 !== 0);
    const test = all.filter((_, i) => i % 3 === 0);
    for (const kind of ["softmax", "mlp"] as const) {
      const head = trainHead(train, { kind, epochs: 40, seed: 3 });
      expect(head.kind).toBe(kind);
      expect(head.labels).toEqual([...labels].sort());
      expect(head.metrics!.trainAccuracy).toBe(1);
      expect(accuracy((v) => head.predict(v).label, test)).toBeGreaterThan(0.95);
      const losses = head.metrics!.history.map((h) => h.trainLoss);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
    }
  });

  it("an MLP learns XOR, which softmax regression cannot", () => {
    const xor: TrainingExample[] = [];
    for (let i = 0; i < 200; i++) {
      const a = i % 2,
        b = Math.floor(i / 2) % 2;
      const jitter = ((i * 7919) % 100) / 1000;
      xor.push({ vector: [a * 2 - 1 + jitter, b * 2 - 1 - jitter, 1], label: a === b ? "same" : "different" });
    }
    const softmax = trainHead(xor, { kind: "softmax", epochs: 60, validationShare: 0 });
    const mlp = trainHead(xor, { kind: "mlp", hidden: 16, epochs: 60, validationShare: 0, learningRate: 0.02 });
    expect(accuracy((v) => softmax.predict(v).label, xor)).toBeLessThan(0.8);
    expect(accuracy((v) => mlp.predict(v).label, xor)).toBe(1);
  });

  it("is reproducible for a seed", () => {
    const data = clusters({ labels, perLabel: 20, dimension: 8, spread: 1, seed: 5 });
    const a = trainHead(data, { kind: "mlp", hidden: 8, epochs: 5, seed: 9 });
    const b = trainHead(data, { kind: "mlp", hidden: 8, epochs: 5, seed: 9 });
    const c = trainHead(data, { kind: "mlp", hidden: 8, epochs: 5, seed: 10 });
    expect(a.layers[0]!.weights).toEqual(b.layers[0]!.weights);
    expect(a.temperature).toBe(b.temperature);
    expect(a.layers[0]!.weights).not.toEqual(c.layers[0]!.weights);
  });

  it("holds out a stratified validation share", () => {
    const data = clusters({ labels, perLabel: [50, 30, 20, 1], dimension: 8, spread: 0.5, seed: 2 });
    const head = trainHead(data, { validationShare: 0.2, epochs: 2 });
    // round(0.2 x n) per class, and a single-example class stays in training.
    expect(head.metrics!.validationExamples).toBe(10 + 6 + 4 + 0);
    expect(head.metrics!.trainExamples).toBe(data.length - 20);
  });

  it("reports every epoch to onProgress", () => {
    const seen: number[] = [];
    trainHead(clusters({ labels, perLabel: 10, dimension: 4, spread: 0.5, seed: 2 }), {
      epochs: 4,
      patience: 10,
      onProgress: (epoch, m) => {
        expect(m.epochs).toBe(4);
        expect(m.epoch).toBe(epoch);
        seen.push(epoch);
      },
    });
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it("keeps a replay sample of texts spread over labels", () => {
    const data = clusters({ labels, perLabel: 30, dimension: 4, spread: 0.5, seed: 2 }).map((e, i) => ({ ...e, text: `text ${i}` }));
    const head = trainHead(data, { epochs: 1, replaySize: 8 });
    expect(head.replay).toHaveLength(8);
    expect(new Set(head.replay.map((r) => r.label)).size).toBe(4);
  });

  it("rejects bad input with coded errors that say what to fix", () => {
    const data = clusters({ labels, perLabel: 5, dimension: 4, spread: 0.5, seed: 2 });
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(isMoeRouterError(error)).toBe(true);
        return (error as { code: string }).code;
      }
      return "none";
    };
    expect(code(() => trainHead([]))).toBe("MOE_INSUFFICIENT_DATA");
    expect(code(() => trainHead(data.filter((e) => e.label === "alpha")))).toBe("MOE_INSUFFICIENT_DATA");
    expect(code(() => trainHead([...data, { vector: [1, 2], label: "beta" }]))).toBe("MOE_INVALID_CONFIG");
    expect(code(() => trainHead(data, { epochs: 0 }))).toBe("MOE_INVALID_CONFIG");
    expect(code(() => trainHead(data, { kind: "cnn" as never }))).toBe("MOE_INVALID_CONFIG");
    expect(code(() => trainHead(data, { epoch: 3 } as never))).toBe("MOE_UNKNOWN_OPTION");
    expect(code(() => trainHead(data, { classWeights: { alpha: -1 } }))).toBe("MOE_INVALID_CONFIG");
  });
});
