import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMoeRouterError } from "@moe-router/core";
import type { TransformersEmbedder } from "../src/index.js";
import { transformersEmbedder } from "../src/index.js";
import { forbidNetwork } from "../../../tools/test-support/offline.js";
import { expectedVector, HIDDEN, writeTinyModel, type TinyModel } from "./support/tiny-model.js";

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

describe("transformersEmbedder with a generated tiny BERT", () => {
  const root = mkdtempSync(join(tmpdir(), "moe-transformers-"));
  const network = forbidNetwork();
  let tiny: TinyModel;
  let embedder: TransformersEmbedder;

  beforeAll(async () => {
    tiny = writeTinyModel(join(root, "tiny-bert"));
    embedder = await transformersEmbedder({ modelDir: tiny.dir });
  });

  afterAll(async () => {
    await embedder?.close();
    network.restore();
    rmSync(root, { recursive: true, force: true });
  });

  it("loads offline: no connection attempted, remote models switched off", async () => {
    expect(network.attempts).toEqual([]);
    const { env } = await import("@huggingface/transformers");
    expect(env.allowRemoteModels).toBe(false);
    await expect(fetch("https://huggingface.co/")).rejects.toThrow(/offline test/);
    network.attempts.length = 0;
  });

  it("loads through ONNX Runtime and reports the hidden size as dimension", () => {
    expect(embedder.dimension).toBe(HIDDEN);
    expect(embedder.id).toMatch(/^transformers-v1:tiny-bert:[0-9a-f]{12}:mean:norm$/);
  });

  it("mean-pools the token states and L2-normalises", async () => {
    const [vector] = await embedder.embed(["Fix the login bug"]);
    expect(vector).toBeInstanceOf(Float32Array);
    expect(norm(vector!)).toBeCloseTo(1, 5);
    const expected = expectedVector(tiny, ["fix", "the", "login", "bug"]);
    expected.forEach((x, i) => expect(vector![i]).toBeCloseTo(x, 5));
  });

  it("tokenises into word pieces as the tokenizer.json says", async () => {
    const [vector] = await embedder.embed(["deploying"]);
    const expected = expectedVector(tiny, ["deploy", "##ing"]);
    expected.forEach((x, i) => expect(vector![i]).toBeCloseTo(x, 5));
  });

  it("respects the attention mask: padding in a batch does not change a sentence's vector", async () => {
    const [alone] = await embedder.embed(["check stock"]);
    const [padded, long] = await embedder.embed(["check stock", "deploy the api to production and fix the login bug"]);
    alone!.forEach((x, i) => expect(padded![i]).toBeCloseTo(x, 6));
    expect(long!.length).toBe(HIDDEN);
  });

  it("is deterministic across calls and loads", async () => {
    const again = await transformersEmbedder({ modelDir: tiny.dir });
    const [a] = await embedder.embed(["reset my password"]);
    const [b] = await again.embed(["reset my password"]);
    await again.close();
    expect(Array.from(b!)).toEqual(Array.from(a!));
    expect(again.id).toBe(embedder.id);
  });

  it("coalesces concurrent calls and answers each with its own vector", async () => {
    const texts = ["fix the bug", "deploy api", "check stock", "test release"];
    const separately = await Promise.all(texts.map((t) => embedder.embed([t])));
    const together = await embedder.embed(texts);
    separately.forEach(([v], i) => v!.forEach((x, k) => expect(together[i]![k]).toBeCloseTo(x, 6)));
  });

  it("offers cls pooling and unnormalised output", async () => {
    const raw = await transformersEmbedder({ modelDir: tiny.dir, normalize: false, pooling: "cls" });
    const [v] = await raw.embed(["fix the bug"]);
    await raw.close();
    expect(raw.id).toMatch(/:cls$/);
    // [CLS] is the same first token for every text, so cls pooling gives the same vector for any text.
    const [w] = await (async () => {
      const other = await transformersEmbedder({ modelDir: tiny.dir, normalize: false, pooling: "cls" });
      const out = await other.embed(["warehouse order"]);
      await other.close();
      return out;
    })();
    expect(Array.from(w!)).toEqual(Array.from(v!));
    expect(Math.abs(norm(v!) - 1)).toBeGreaterThan(1e-3);
  });

  it("changes its id when the model file changes", async () => {
    const other = writeTinyModel(join(root, "copy", "tiny-bert"));
    writeFileSync(join(other.dir, "config.json"), JSON.stringify({ model_type: "bert", hidden_size: HIDDEN, vocab_size: other.vocab.length, note: "changed" }));
    const changed = await transformersEmbedder({ modelDir: other.dir });
    await changed.close();
    expect(changed.id).not.toBe(embedder.id);
  });

  it("finds a model by id under localModelPath, and picks the quantized file when asked", async () => {
    writeTinyModel(join(root, "lib", "acme", "tiny-bert"), { quantizedCopy: true });
    const byId = await transformersEmbedder({ model: "acme/tiny-bert", localModelPath: join(root, "lib"), quantized: true });
    const [v] = await byId.embed(["fix the login bug"]);
    await byId.close();
    expect(byId.id).toMatch(/^transformers-v1:acme\/tiny-bert:[0-9a-f]{12}:mean:norm:q8$/);
    expectedVector(tiny, ["fix", "the", "login", "bug"]).forEach((x, i) => expect(v![i]).toBeCloseTo(x, 5));
  });

  it("finds a model in a transformers.js cache directory", async () => {
    writeTinyModel(join(root, "cache", "acme", "cached-bert"));
    const cached = await transformersEmbedder({ model: "acme/cached-bert", cacheDir: join(root, "cache") });
    const [v] = await cached.embed(["check stock"]);
    await cached.close();
    expect(v!.length).toBe(HIDDEN);
  });

  it("only normalises an export that already pools inside the graph", async () => {
    const pooled = writeTinyModel(join(root, "pooled", "tiny-bert"), { pooledOutput: true });
    const embedder = await transformersEmbedder({ modelDir: pooled.dir });
    const [v] = await embedder.embed(["fix the login bug"]);
    await embedder.close();
    expect(embedder.dimension).toBe(HIDDEN);
    expectedVector(tiny, ["fix", "the", "login", "bug"]).forEach((x, i) => expect(v![i]).toBeCloseTo(x, 5));
  });

  it("throws MOE_CLOSED after close()", async () => {
    const closing = await transformersEmbedder({ modelDir: tiny.dir });
    await closing.close();
    const error = await closing.embed(["x"]).catch((e: unknown) => e);
    expect(isMoeRouterError(error, "MOE_CLOSED")).toBe(true);
  });

  it("says what is missing and how to fix it", async () => {
    const cases: [object, string, RegExp][] = [
      [{ modelDir: join(root, "nowhere") }, "MOE_NOT_FOUND", /lacks config\.json.*optimum-cli/],
      [{ modelDir: tiny.dir, quantized: true }, "MOE_NOT_FOUND", /onnx\/model_quantized\.onnx/],
      [{ model: "acme/absent", localModelPath: root }, "MOE_NOT_FOUND", /never downloads/],
      [{ model: "acme/absent" }, "MOE_INVALID_CONFIG", /localModelPath/],
      [{}, "MOE_INVALID_CONFIG", /exactly one/],
      [{ modelDir: tiny.dir, pooling: "max" }, "MOE_INVALID_CONFIG", /pooling/],
      [{ modelDir: tiny.dir, modelPath: "x" }, "MOE_UNKNOWN_OPTION", /modelPath/],
    ];
    for (const [options, code, message] of cases) {
      const error = await transformersEmbedder(options as never).catch((e: unknown) => e);
      expect(isMoeRouterError(error, code), JSON.stringify(options)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("reports a broken ONNX file as MOE_CORRUPT_FILE", async () => {
    const broken = writeTinyModel(join(root, "broken", "tiny-bert"));
    writeFileSync(join(broken.dir, "onnx", "model.onnx"), "not a model");
    const error = await transformersEmbedder({ modelDir: broken.dir }).catch((e: unknown) => e);
    expect(isMoeRouterError(error, "MOE_CORRUPT_FILE")).toBe(true);
    expect(dirname(broken.dir)).toContain("broken");
  });

  it("never tried the network in any of the loads above", () => {
    expect(network.attempts).toEqual([]);
  });
});
