import { applyPlatt, type LayerContext } from "@moe-router/core";
import { hashedEmbedder } from "@moe-router/embeddings";
import { describe, expect, it } from "vitest";
import { embeddedStore, ragLayer } from "../src/index.js";
import { tableEmbedder } from "./support/fixtures.js";

const context: LayerContext = { eventId: "test" };

// Two close "security" items and three farther "cicd" items around the query [1, 0, 0, 0].
const geometry: Record<string, number[]> = {
  query: [1, 0, 0, 0],
  "rotate keys": [0.99, 0.14, 0, 0],
  "rotate secrets": [0.98, 0, 0.2, 0],
  "deploy api": [0.6, 0.8, 0, 0],
  "deploy web": [0.6, 0, 0.8, 0],
  "deploy worker": [0.6, 0, 0, 0.8],
  far: [0, 0, 0, 1],
};
const labelled = [
  { text: "rotate keys", expert: "security-master" },
  { text: "rotate secrets", expert: "security-master" },
  { text: "deploy api", expert: "cicd-master" },
  { text: "deploy web", expert: "cicd-master" },
  { text: "deploy worker", expert: "cicd-master" },
];

async function layerWith(options: Partial<Parameters<typeof ragLayer>[0]> = {}) {
  const layer = ragLayer({ embedder: tableEmbedder(geometry), k: 5, ...options });
  await layer.learn(labelled);
  return layer;
}

describe("similarity-weighted vote", () => {
  it("lets two close neighbours outvote three far ones (softmax), unlike a plain majority", async () => {
    const weighted = await (await layerWith()).route({ description: "query" }, context);
    expect(weighted.expert).toBe("security-master");
    expect(weighted.probabilities!["security-master"]).toBeGreaterThan(0.95);
    const majority = await (await layerWith({ weighting: "uniform" })).route({ description: "query" }, context);
    expect(majority.expert).toBe("cicd-master");
    expect(majority.probabilities).toEqual({ "cicd-master": 0.6, "security-master": expect.closeTo(0.4, 10) });
  });

  it("weights linearly by similarity when asked", async () => {
    const verdict = await (await layerWith({ weighting: "linear" })).route({ description: "query" }, context);
    // security: 0.99 + 0.98 = 1.97 vs cicd: 3 x 0.6 = 1.8
    expect(verdict.expert).toBe("security-master");
    expect(verdict.probabilities!["security-master"]).toBeCloseTo(1.97 / 3.77, 2);
  });

  it("gives probabilities that sum to 1 and lists the neighbours as evidence", async () => {
    const verdict = await (await layerWith({ snippetLength: 8 })).route({ description: "query" }, context);
    const sum = Object.values(verdict.probabilities!).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 10);
    const neighbours = verdict.details!.neighbours as { id: string; expert: string; score: number; text: string; source: string }[];
    expect(neighbours).toHaveLength(5);
    expect(neighbours[0]).toMatchObject({ expert: "security-master", source: "task", text: "rotate…" });
    expect(neighbours[0]!.score).toBeGreaterThan(neighbours[4]!.score);
    expect(neighbours[0]!.id).toMatch(/^task:/);
  });

  it("uses k: with k = 1 only the nearest votes", async () => {
    const verdict = await (await layerWith({ k: 1, weighting: "uniform" })).route({ description: "query" }, context);
    expect(verdict.probabilities).toEqual({ "security-master": 1 });
  });

  it("falls back to the default expert with confidence 0 when the index is empty or nothing is similar", async () => {
    const empty = ragLayer({ embedder: tableEmbedder(geometry) });
    expect(await empty.route({ description: "query" }, context)).toEqual({ expert: "coordinator-master", confidence: 0, details: { neighbours: [], reason: "the index is empty" } });
    const strict = await layerWith({ minSimilarity: 0.999, fallbackExpert: "help-desk" });
    expect(await strict.route({ description: "query" }, context)).toMatchObject({ expert: "help-desk", confidence: 0, details: { reason: "no neighbour is similar enough" } });
  });

  it("ignores neighbours of experts the cascade did not declare", async () => {
    const layer = await layerWith();
    const verdict = await layer.route({ description: "query" }, { eventId: "e", experts: ["cicd-master", "coordinator-master"] });
    expect(verdict.expert).toBe("cicd-master");
    expect(Object.keys(verdict.probabilities!)).toEqual(["cicd-master"]);
  });

  it("without calibration reports the raw feature; with a scaler, the Platt-mapped feature", async () => {
    const raw = await (await layerWith({ confidenceFeature: "share" })).route({ description: "query" }, context);
    expect(raw.confidence).toBeCloseTo(raw.probabilities!["security-master"]!, 10);
    const scaler = { a: 4, b: -3 };
    const calibrated = await (await layerWith({ confidenceFeature: "share", calibration: scaler })).route({ description: "query" }, context);
    expect(calibrated.confidence).toBeCloseTo(applyPlatt(scaler, raw.confidence), 10);
    expect(calibrated.details!.calibrated).toBe(true);
  });

  it("computes the margin and share-similarity features", async () => {
    const uniform = { weighting: "uniform" as const };
    const margin = await (await layerWith({ ...uniform, confidenceFeature: "margin" })).route({ description: "query" }, context);
    expect(margin.confidence).toBeCloseTo(0.6 - 0.4, 6);
    const shareSimilarity = await (await layerWith({ ...uniform })).route({ description: "query" }, context);
    expect(shareSimilarity.confidence).toBeCloseTo(0.6 * 0.6, 5); // cicd share x best cicd similarity
  });
});

describe("learn()", () => {
  it("absorbs a corrected outcome: the same text relearned under another expert replaces the old label", async () => {
    const layer = ragLayer({ embedder: hashedEmbedder() });
    await layer.learn([{ text: "Rotate the TLS certificates on the gateway", expert: "cicd-master" }]);
    await layer.learn([{ text: "Rotate the TLS certificates on the gateway", expert: "security-master", source: "outcome" }]);
    expect(await layer.store.count()).toBe(1);
    expect((await layer.route({ description: "Rotate TLS certificates on the gateway" }, context)).expert).toBe("security-master");
  });

  it("skips empty texts and texts the embedder cannot represent", async () => {
    const layer = ragLayer({ embedder: hashedEmbedder() });
    await layer.learn([
      { text: "   ", expert: "x" },
      { text: "!!! ???", expert: "x" },
      { text: "Deploy the API", expert: "cicd-master" },
    ]);
    expect(await layer.store.count()).toBe(1);
  });

  it("honours example weights in the vote", async () => {
    const layer = ragLayer({ embedder: tableEmbedder(geometry), k: 5, weighting: "uniform" });
    await layer.learn(labelled.map((e) => (e.expert === "security-master" ? { ...e, weight: 2 } : e)));
    const verdict = await layer.route({ description: "query" }, context);
    expect(verdict.probabilities!["security-master"]).toBeCloseTo(4 / 7, 10);
  });
});

describe("options", () => {
  it("rejects unknown options and bad values with coded errors", () => {
    const embedder = hashedEmbedder();
    expect(() => ragLayer({ embedder, kk: 3 } as never)).toThrow(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION", message: expect.stringMatching(/"kk".*Known options/) }));
    expect(() => ragLayer({ embedder, k: 0 })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/"k"/) }));
    expect(() => ragLayer({ embedder, weighting: "cubic" as never })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(() => ragLayer({ embedder, temperature: 0 })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(() => ragLayer({ embedder: undefined as never })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/embedder/) }));
  });

  it("refuses a store of another dimension than the embedder's", () => {
    expect(() => ragLayer({ embedder: hashedEmbedder({ dimension: 256 }), store: embeddedStore({ dimension: 512 }) })).toThrow(
      expect.objectContaining({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/512.*256/) }),
    );
  });

  it("declares its capabilities", async () => {
    const layer = ragLayer({ embedder: hashedEmbedder(), name: "docs", experts: ["a", "b"] });
    expect(layer.name).toBe("docs");
    expect(layer.capabilities).toEqual({ learn: true, calibrate: true, deterministic: true, async: true, persistence: false, experts: ["a", "b"] });
  });
});
