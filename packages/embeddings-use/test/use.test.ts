import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMoeRouterError } from "@moe-router/core";
import type { UseEmbedder } from "../src/index.js";
import { createEmbedder, useEmbedder } from "../src/index.js";
import { forbidNetwork } from "../../../tools/test-support/offline.js";

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe("useEmbedder (Universal Sentence Encoder lite)", () => {
  const network = forbidNetwork();
  let embedder: UseEmbedder;

  beforeAll(async () => {
    embedder = await useEmbedder();
  });

  afterAll(async () => {
    await embedder?.close();
    network.restore();
  });

  it("loads from the installed packages without touching the network", () => {
    expect(embedder.id).toBe("use-lite-v1");
    expect(embedder.dimension).toBe(512);
    expect(network.attempts).toEqual([]);
  });

  it("really blocks the network in this file (so the check above means something)", async () => {
    await expect(fetch("https://tfhub.dev/")).rejects.toThrow(/offline test/);
    const { request } = await import("node:https");
    expect(() => request("https://tfhub.dev/").end()).toThrow(/offline test/);
    network.attempts.length = 0;
  });

  it("returns unit-length 512-dimensional vectors, zero for blank text", async () => {
    const [a, blank] = await embedder.embed(["Deploy API to production", "   "]);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a!.length).toBe(512);
    expect(Math.sqrt(dot(a!, a!))).toBeCloseTo(1, 5);
    expect(dot(blank!, blank!)).toBe(0);
  });

  it("gives paraphrases a higher cosine than unrelated sentences", async () => {
    const triples: [string, string, string][] = [
      ["I forgot my password", "I can't remember my login password", "Deploy the service to production"],
      ["Roll out the new build to production", "Deploy the latest release to prod", "My card was declined at the shop"],
      ["How many units are left in the warehouse?", "Check the remaining stock in storage", "Fix the flaky unit test"],
      ["wake me up at seven", "set an alarm for 7 am", "what is my account balance"],
    ];
    for (const [text, paraphrase, unrelated] of triples) {
      const [t, p, u] = await embedder.embed([text, paraphrase, unrelated]);
      expect(dot(t!, p!), `${text} ~ ${paraphrase}`).toBeGreaterThan(dot(t!, u!) + 0.15);
    }
  });

  it("answers concurrent calls in order, the same as one batch", async () => {
    const texts = ["alpha release", "beta release", "gamma release", "delta release"];
    const together = await embedder.embed(texts);
    const separately = await Promise.all(texts.map((t) => embedder.embed([t])));
    separately.forEach(([v], i) => expect(dot(v!, together[i]!)).toBeCloseTo(1, 4));
  });

  it("is deterministic", async () => {
    const fresh = await useEmbedder();
    const [a] = await embedder.embed(["rotate the api keys now"]);
    const [b] = await fresh.embed(["rotate the api keys now"]);
    await fresh.close();
    expect(Array.from(b!)).toEqual(Array.from(a!));
  });

  it("rejects bad options before loading anything", async () => {
    for (const [options, code] of [
      [{ maxBatchSize: 0 }, "MOE_INVALID_CONFIG"],
      [{ batch: 4 }, "MOE_UNKNOWN_OPTION"],
      [{ maxWaitMs: -1 }, "MOE_INVALID_CONFIG"],
    ] as const) {
      const error = await useEmbedder(options as never).catch((e: unknown) => e);
      expect(isMoeRouterError(error, code), JSON.stringify(options)).toBe(true);
    }
    const error = await createEmbedder({ kind: "hashed" }, { dataDir: "." }).catch((e: unknown) => e);
    expect(isMoeRouterError(error, "MOE_INVALID_CONFIG")).toBe(true);
  });

  it("throws MOE_CLOSED after close()", async () => {
    const other = await useEmbedder();
    await other.close();
    const error = await other.embed(["hello"]).catch((e: unknown) => e);
    expect(isMoeRouterError(error, "MOE_CLOSED")).toBe(true);
  });
});
