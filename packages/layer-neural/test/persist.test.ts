import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MoeRouterError } from "@moe-router/core";
import { MODEL_FORMAT, loadHead, loadHeadSync, parseHead, saveHead, serialiseHead, trainHead } from "../src/index.js";
import { clusters } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "neural-persist-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = clusters({ labels: ["x", "y", "z"], perLabel: 20, dimension: 12, spread: 0.8, seed: 3 }).map((e, i) => ({ ...e, text: `t${i}` }));

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(MoeRouterError);
    return (error as MoeRouterError).code;
  }
  return "none";
}

describe("save and load", () => {
  for (const kind of ["softmax", "mlp"] as const) {
    it(`round-trips a ${kind} head bit for bit`, async () => {
      const head = trainHead(data, { kind, hidden: 7, epochs: 5, embedderId: "test-embedder:v1" });
      const path = join(dir, kind, "model.json");
      await saveHead(head, path);
      const loaded = await loadHead(path, { embedderId: "test-embedder:v1" });
      expect(loaded.kind).toBe(kind);
      expect(loaded.labels).toEqual(head.labels);
      expect(loaded.temperature).toBe(head.temperature);
      expect(loaded.embedderId).toBe("test-embedder:v1");
      expect(loaded.version).toBe(head.version);
      expect(loaded.replay).toEqual(head.replay);
      expect(loaded.metrics?.epochsRun).toBe(head.metrics?.epochsRun);
      for (const e of data.slice(0, 10)) expect(loaded.predictLogits(e.vector)).toEqual(head.predictLogits(e.vector));
    });
  }

  it("writes the documented header", () => {
    const head = trainHead(data, { epochs: 1, embedderId: "emb" });
    const file = JSON.parse(serialiseHead(head)) as Record<string, unknown>;
    expect(file).toMatchObject({ format: MODEL_FORMAT, formatVersion: 1, embedderId: "emb", dimension: 12, kind: "softmax", shapes: [[3, 12]], weightsEncoding: "float32-le-base64" });
    expect(typeof file.weights).toBe("string");
  });

  it("refuses a head trained with another embedder, saying to retrain", async () => {
    const path = join(dir, "other.json");
    await saveHead(trainHead(data, { epochs: 1, embedderId: "hashed-v1:d12" }), path);
    const error = await loadHead(path, { embedderId: "hashed-v1:d24" }).catch((e: unknown) => e as MoeRouterError);
    expect(error).toBeInstanceOf(MoeRouterError);
    expect((error as MoeRouterError).code).toBe("MOE_INVALID_CONFIG");
    expect((error as MoeRouterError).message).toMatch(/hashed-v1:d12.*hashed-v1:d24.*[Rr]etrain/);
  });

  it("refuses another format version or a damaged file as CORRUPT_FILE", async () => {
    const text = serialiseHead(trainHead(data, { epochs: 1 }));
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(await codeOf(() => parseHead(JSON.stringify({ ...file, formatVersion: 2 })))).toBe("MOE_CORRUPT_FILE");
    expect(await codeOf(() => parseHead(JSON.stringify({ ...file, format: "something-else" })))).toBe("MOE_CORRUPT_FILE");
    expect(await codeOf(() => parseHead(JSON.stringify({ ...file, shapes: [[4, 12]] })))).toBe("MOE_CORRUPT_FILE");
    expect(await codeOf(() => parseHead(JSON.stringify({ ...file, labels: ["only-one"] })))).toBe("MOE_CORRUPT_FILE");
    expect(await codeOf(() => parseHead(text.slice(0, 100)))).toBe("MOE_CORRUPT_FILE");
    const message = (() => {
      try {
        parseHead(JSON.stringify({ ...file, formatVersion: 2 }), { source: "m.json" });
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    expect(message).toMatch(/m\.json.*version 2.*moe-router train/);
  });

  it("reports a missing file as NOT_FOUND", async () => {
    expect(await codeOf(loadHead(join(dir, "missing.json")))).toBe("MOE_NOT_FOUND");
    expect(await codeOf(() => loadHeadSync(join(dir, "missing.json")))).toBe("MOE_NOT_FOUND");
  });

  it("leaves no temporary file behind", async () => {
    const path = join(dir, "clean", "model.json");
    await saveHead(trainHead(data, { epochs: 1 }), path);
    writeFileSync(join(dir, "clean", "keep.txt"), "");
    expect(readFileSync(path, "utf8").startsWith("{")).toBe(true);
    expect(readdirSync(join(dir, "clean")).sort()).toEqual(["keep.txt", "model.json"]);
  });
});
