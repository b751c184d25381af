import { describe, expect, it } from "vitest";
import type { Embedder } from "@moe-router/core";
import { combinedEmbedder, hashedEmbedder } from "../src/index.js";

const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) ((dot += a[i]! * b[i]!), (na += a[i]! * a[i]!), (nb += b[i]! * b[i]!));
  return dot / Math.sqrt(na * nb);
};

/** A 2-d embedder with fixed vectors, sync or async. */
function fixed(id: string, table: Record<string, number[]>, async = false): Embedder {
  return {
    id,
    dimension: 2,
    embed: (texts) => {
      const out = texts.map((t) => Float32Array.from(table[t] ?? [0, 0]));
      return async ? Promise.resolve(out) : out;
    },
  };
}

describe("combinedEmbedder", () => {
  const a = fixed("a", { x: [1, 0], y: [0, 1], z: [1, 1] });
  const b = fixed("b", { x: [3, 4], y: [3, 4], z: [0, 5] }, true);

  it("the cosine of combined vectors is the weighted mean of the parts' cosines", async () => {
    const combined = combinedEmbedder([a, b], { weights: [1, 3] });
    expect(combined.dimension).toBe(4);
    const [x, y, z] = await combined.embed(["x", "y", "z"]);
    expect(cosine(x!, y!)).toBeCloseTo(0.25 * 0 + 0.75 * 1, 6);
    expect(cosine(x!, z!)).toBeCloseTo(0.25 * Math.SQRT1_2 + 0.75 * 0.8, 6);
  });

  it("is synchronous when every part is, follows the parts' ids, and closes them", async () => {
    const hashed = hashedEmbedder({ dimension: 64 });
    let closed = 0;
    const combined = combinedEmbedder([hashed, { ...a, close: () => void closed++ }]);
    expect(Array.isArray(combined.embed(["deploy the api"]))).toBe(true);
    const before = combined.id;
    hashed.fitIdf(["deploy the api", "rotate keys"]);
    expect(combined.id).not.toBe(before);
    expect(combined.id).toContain(hashed.id);
    await combined.close?.();
    expect(closed).toBe(1);
  });

  it("lets a part with no signal for a text add nothing (no NaN)", async () => {
    const [v] = await combinedEmbedder([a, b]).embed(["unknown"]);
    expect([...v!].every((n) => n === 0)).toBe(true);
  });

  it("rejects bad arguments with MOE_INVALID_CONFIG", () => {
    expect(() => combinedEmbedder([])).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(() => combinedEmbedder([a, b], { weights: [1] })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(() => combinedEmbedder([a, b], { weights: [1, -1] })).toThrow(/positive/);
  });
});
