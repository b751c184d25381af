import { describe, expect, it } from "vitest";
import type { Embedder } from "@moe-router/core";
import { batchingEmbedder } from "../src/index.js";

/** An async embedder that records its batches; `release()` lets held batches finish. */
function recordingEmbedder(options: { fail?: (texts: readonly string[]) => boolean; hold?: boolean } = {}) {
  const batches: string[][] = [];
  const held: (() => void)[] = [];
  const embedder: Embedder = {
    id: "recording",
    dimension: 1,
    async embed(texts) {
      batches.push([...texts]);
      if (options.hold) await new Promise<void>((go) => held.push(go));
      if (options.fail?.(texts)) throw new Error("batch failed");
      return texts.map((t) => Float32Array.of(t.length));
    },
  };
  return { embedder, batches, release: () => held.splice(0).forEach((go) => go()) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("batchingEmbedder", () => {
  it("coalesces calls made in the same turn into one inner call and routes answers back", async () => {
    const { embedder, batches } = recordingEmbedder();
    const batching = batchingEmbedder(embedder, { maxBatchSize: 10 });
    const results = await Promise.all([batching.embed(["a"]), batching.embed(["bb", "ccc"]), batching.embed(["dddd"])]);
    expect(batches).toEqual([["a", "bb", "ccc", "dddd"]]);
    expect(results.map((r) => r.map((v) => v[0]))).toEqual([[1], [2, 3], [4]]);
    expect(batching.stats()).toEqual({ batches: 1, texts: 4, requests: 3 });
  });

  it("gathers texts that arrive while a batch runs into the next batch", async () => {
    const { embedder, batches, release } = recordingEmbedder({ hold: true });
    const batching = batchingEmbedder(embedder, { maxBatchSize: 10 });
    const first = batching.embed(["a"]);
    await tick();
    expect(batches).toEqual([["a"]]);
    const later = [batching.embed(["b"]), batching.embed(["c"])];
    await tick();
    await tick();
    const laterStill = batching.embed(["d"]);
    await tick();
    expect(batches).toEqual([["a"]]); // one batch at a time (maxConcurrentBatches 1)
    release();
    await first;
    await tick();
    expect(batches).toEqual([["a"], ["b", "c", "d"]]);
    release();
    await Promise.all([...later, laterStill]);
  });

  it("splits at maxBatchSize and sends full batches without waiting when slots allow", async () => {
    const { embedder, batches } = recordingEmbedder();
    const batching = batchingEmbedder(embedder, { maxBatchSize: 2, maxWaitMs: 10_000, maxConcurrentBatches: Infinity });
    const pending = batching.embed(["a", "b", "c", "d", "e"]);
    expect(batches).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]); // sent synchronously
    batching.flush();
    const vectors = await pending;
    expect(batches).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(vectors.map((v) => v[0])).toEqual([1, 1, 1, 1, 1]);
  });

  it("waits maxWaitMs for company when asked to", async () => {
    const { embedder, batches } = recordingEmbedder();
    const batching = batchingEmbedder(embedder, { maxWaitMs: 30 });
    const first = batching.embed(["a"]);
    await tick();
    const second = batching.embed(["b"]);
    await Promise.all([first, second]);
    expect(batches).toEqual([["a", "b"]]);
  });

  it("keeps the inner id and dimension", () => {
    const batching = batchingEmbedder(recordingEmbedder().embedder);
    expect(batching.id).toBe("recording");
    expect(batching.dimension).toBe(1);
  });

  it("rejects only the callers whose texts were in a failed batch", async () => {
    const { embedder } = recordingEmbedder({ fail: (texts) => texts.includes("bad") });
    const batching = batchingEmbedder(embedder, { maxBatchSize: 2 });
    const first = batching.embed(["ok", "bad"]);
    const second = batching.embed(["fine"]);
    await expect(first).rejects.toThrow("batch failed");
    await expect(second).resolves.toHaveLength(1);
  });

  it("lets running batches finish on close()", async () => {
    const { embedder, release } = recordingEmbedder({ hold: true });
    const batching = batchingEmbedder(embedder);
    const pending = batching.embed(["a"]);
    await tick();
    const closing = batching.close();
    release();
    await expect(pending).resolves.toHaveLength(1);
    await closing;
  });

  it("answers an empty request at once and rejects bad options", async () => {
    await expect(batchingEmbedder(recordingEmbedder().embedder).embed([])).resolves.toEqual([]);
    const { embedder } = recordingEmbedder();
    expect(() => batchingEmbedder(embedder, { maxBatchSize: 0 })).toThrow(/maxBatchSize/);
    expect(() => batchingEmbedder(embedder, { maxWaitMs: -1 })).toThrow(/maxWaitMs/);
    expect(() => batchingEmbedder(embedder, { maxConcurrentBatches: 0 })).toThrow(/maxConcurrentBatches/);
  });
});
