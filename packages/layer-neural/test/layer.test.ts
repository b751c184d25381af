import { describe, expect, it } from "vitest";
import type { Embedder, Verdict } from "@moe-router/core";
import { neuralLayer, trainHead } from "../src/index.js";
import { embedRows, miniRows, testEmbedder } from "./helpers.js";

const embedder = testEmbedder();
const train = miniRows("hwu64").filter((r) => r.split === "train");
const head = trainHead(embedRows(train, embedder), { embedderId: embedder.id, epochs: 15 });
const ctx = { eventId: "e" };

describe("neuralLayer", () => {
  it("answers argmax softmax(logits / T) with its probability and details", () => {
    const layer = neuralLayer({ embedder, model: head });
    const text = "set an alarm for six am";
    const verdict = layer.route({ description: text }, ctx) as Verdict;
    const expected = head.predict(embedder.embed([text])[0]!);
    expect(verdict.expert).toBe(expected.label);
    expect(verdict.confidence).toBeCloseTo(expected.confidence, 12);
    expect(Object.keys(verdict.probabilities!)).toEqual(head.labels);
    expect(Object.values(verdict.probabilities!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(verdict.details).toMatchObject({ model_kind: "softmax", model_version: head.version, temperature: head.temperature, runner_up: expected.runnerUp });
    expect(verdict.details!.top2_margin).toBeCloseTo(expected.margin, 12);
  });

  it("restricts answers to the cascade's declared experts, renormalised", () => {
    const layer = neuralLayer({ embedder, model: head });
    const experts = head.labels.filter((l) => l.startsWith("alarm"));
    const verdict = layer.route({ description: "play some jazz music" }, { eventId: "e", experts }) as Verdict;
    expect(experts).toContain(verdict.expert);
    expect(Object.keys(verdict.probabilities!).sort()).toEqual([...experts].sort());
    expect(Object.values(verdict.probabilities!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const none = layer.route({ description: "x" }, { eventId: "e", experts: ["cicd-master"] }) as Verdict;
    expect(none).toMatchObject({ expert: "coordinator-master", confidence: 0 });
  });

  it("stays synchronous with a sync embedder and works with an async one", async () => {
    const sync = neuralLayer({ embedder, model: head });
    expect(sync.capabilities?.async).toBe(false);
    const result = sync.route({ description: "wake me up" }, ctx);
    expect(typeof (result as Promise<Verdict>).then).toBe("undefined");
    const asyncEmbedder: Embedder = { id: embedder.id, dimension: embedder.dimension, embed: async (texts) => embedder.embed(texts) };
    const layer = neuralLayer({ embedder: asyncEmbedder, model: head });
    expect(layer.capabilities?.async).toBe(true);
    expect(await layer.route({ description: "wake me up" }, ctx)).toEqual(result);
  });

  it("refuses a head of another embedder or dimension, and bad options", () => {
    const other = { ...embedder, id: "hashed-v1:other", embed: embedder.embed.bind(embedder) } as Embedder;
    expect(() => neuralLayer({ embedder: other, model: head })).toThrow(/trained with embedder/);
    const shorter = trainHead(
      [
        { vector: [1, 0], label: "a" },
        { vector: [0, 1], label: "b" },
      ],
      { epochs: 1, validationShare: 0 },
    );
    expect(() => neuralLayer({ embedder, model: shorter })).toThrow(/length 2/);
    expect(() => neuralLayer({ embedder, model: head, modelPath: "x" } as never)).toThrow(/Unknown option "modelPath"/);
    expect(() => neuralLayer({ embedder: undefined as never })).toThrow(/needs an "embedder"/);
    expect(() => neuralLayer({ embedder, model: head, onnx: { path: "h.onnx" } })).toThrow(/not both/);
    expect(() => neuralLayer({ embedder, learnEpochs: 0 })).toThrow(/learnEpochs/);
  });

  it("refuses to route after close()", async () => {
    const layer = neuralLayer({ embedder, model: head });
    await layer.close!();
    await layer.close!();
    expect(() => layer.route({ description: "x" }, ctx)).toThrow(expect.objectContaining({ code: "MOE_CLOSED" }));
  });
});
