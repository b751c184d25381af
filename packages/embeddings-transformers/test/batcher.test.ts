import { describe, expect, it } from "vitest";
import { DynamicBatcher } from "../src/internal/batcher.js";

/** A fake model that records batches and finishes them when told to. */
function fakeModel() {
  const batches: string[][] = [];
  const finish: (() => void)[] = [];
  const run = async (texts: string[]) => {
    batches.push(texts);
    await new Promise<void>((go) => finish.push(go));
    if (texts.includes("boom")) throw new Error("model failed");
    return texts.map((t) => Float32Array.of(t.length));
  };
  return { run, batches, release: () => finish.splice(0).forEach((go) => go()) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("DynamicBatcher", () => {
  it("gathers calls from one turn, then everything that arrives while a batch runs", async () => {
    const model = fakeModel();
    const batcher = new DynamicBatcher(model.run, 3, 0);
    const first = Promise.all([batcher.embed(["a"]), batcher.embed(["bb"])]);
    await tick();
    expect(model.batches).toEqual([["a", "bb"]]);
    const later = [batcher.embed(["ccc"]), batcher.embed(["dddd", "e"]), batcher.embed(["ff"])];
    await tick();
    expect(model.batches).toHaveLength(1); // one batch at a time
    model.release();
    expect((await first).map((r) => r[0]![0])).toEqual([1, 2]);
    await tick();
    expect(model.batches).toEqual([["a", "bb"], ["ccc", "dddd", "e"]]); // split at maxBatchSize 3
    model.release();
    await tick();
    expect(model.batches[2]).toEqual(["ff"]);
    model.release();
    expect((await Promise.all(later)).map((r) => r.map((v) => v[0]))).toEqual([[3], [4, 1], [2]]);
    await batcher.idle();
  });

  it("rejects the callers of a failed batch only", async () => {
    const model = fakeModel();
    const batcher = new DynamicBatcher(model.run, 1, 0);
    const bad = batcher.embed(["boom"]);
    const good = batcher.embed(["fine"]);
    await tick();
    model.release();
    await expect(bad).rejects.toThrow("model failed");
    await tick();
    model.release();
    await expect(good).resolves.toHaveLength(1);
  });
});
