import { describe, expect, it } from "vitest";
import type { Embedder } from "@moe-router/core";
import { cachedEmbedder, hashedEmbedder } from "../src/index.js";

/** A sync embedder that records what it was asked. */
function countingEmbedder(): Embedder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    id: "counting",
    dimension: 2,
    calls,
    embed(texts) {
      calls.push([...texts]);
      return texts.map((t) => Float32Array.of(t.length, 1));
    },
  };
}

describe("cachedEmbedder", () => {
  it("keeps the inner id and dimension and stays sync for a sync inner", () => {
    const inner = hashedEmbedder();
    const cached = cachedEmbedder(inner, { maxEntries: 10 });
    expect(cached.id).toBe(inner.id);
    expect(cached.dimension).toBe(1024);
    const result = cached.embed(["hello"]);
    expect(Array.isArray(result)).toBe(true);
  });

  it("counts hits and misses and only embeds each new text once", () => {
    const inner = countingEmbedder();
    const cached = cachedEmbedder(inner, { maxEntries: 10 });
    cached.embed(["a", "bb", "a"]);
    cached.embed(["bb", "ccc"]);
    expect(inner.calls).toEqual([["a", "bb"], ["ccc"]]);
    expect(cached.stats()).toEqual({ hits: 2, misses: 3, evictions: 0, size: 3 });
  });

  it("evicts the least recently used entry", () => {
    const inner = countingEmbedder();
    const cached = cachedEmbedder(inner, { maxEntries: 2 });
    cached.embed(["a"]);
    cached.embed(["b"]);
    cached.embed(["a"]); // "a" is now most recent; "b" is the oldest
    cached.embed(["c"]); // evicts "b"
    cached.embed(["a"]);
    cached.embed(["b"]);
    expect(inner.calls).toEqual([["a"], ["b"], ["c"], ["b"]]);
    expect(cached.stats().evictions).toBe(2);
    expect(cached.stats().size).toBe(2);
  });

  it("returns copies, so editing a result does not corrupt the cache", () => {
    const cached = cachedEmbedder(countingEmbedder());
    const [v] = cached.embed(["abc"]) as Float32Array[];
    v![0] = 99;
    expect((cached.embed(["abc"]) as Float32Array[])[0]![0]).toBe(3);
  });

  it("empties itself when the inner id changes (IDF refit)", () => {
    const inner = hashedEmbedder();
    const cached = cachedEmbedder(inner);
    const [before] = cached.embed(["please reset password"]) as Float32Array[];
    inner.fitIdf(["please go", "please stop", "reset password"]);
    const [after] = cached.embed(["please reset password"]) as Float32Array[];
    expect(Array.from(after!)).not.toEqual(Array.from(before!));
    expect(cached.id).toBe(inner.id);
  });

  it("shares in-flight work between concurrent calls to an async inner", async () => {
    const calls: string[][] = [];
    const inner: Embedder = {
      id: "async",
      dimension: 1,
      async embed(texts) {
        calls.push([...texts]);
        await new Promise((r) => setTimeout(r, 5));
        return texts.map((t) => Float32Array.of(t.length));
      },
    };
    const cached = cachedEmbedder(inner);
    const [x, y] = await Promise.all([cached.embed(["aa", "b"]), cached.embed(["b", "ccc"])]);
    expect(calls).toEqual([["aa", "b"], ["ccc"]]);
    expect(x.map((v) => v[0])).toEqual([2, 1]);
    expect(y.map((v) => v[0])).toEqual([1, 3]);
  });

  it("does not cache a failed batch", async () => {
    let fail = true;
    const inner: Embedder = {
      id: "flaky",
      dimension: 1,
      async embed(texts) {
        if (fail) throw new Error("model crashed");
        return texts.map(() => Float32Array.of(1));
      },
    };
    const cached = cachedEmbedder(inner);
    await expect(cached.embed(["a"])).rejects.toThrow("model crashed");
    fail = false;
    await expect(cached.embed(["a"])).resolves.toHaveLength(1);
  });

  it("rejects a bad maxEntries", () => {
    expect(() => cachedEmbedder(countingEmbedder(), { maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
