import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EmbedderModule } from "@moe-router/core";
import { isMoeRouterError } from "@moe-router/core";
import * as moduleUnderTest from "../src/index.js";
import { createEmbedder, hashedEmbedder } from "../src/index.js";

const environment = { dataDir: tmpdir() };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isMoeRouterError(error) ? error.code : "not coded";
  }
  return undefined;
}

describe("createEmbedder (EmbedderModule)", () => {
  it("is core's EmbedderModule", () => {
    const asModule: EmbedderModule = moduleUnderTest;
    expect(typeof asModule.createEmbedder).toBe("function");
  });

  it("builds the hashed embedder with defaults and settings", () => {
    expect(createEmbedder(undefined, environment).id).toBe("hashed-v1:d1024:w1-2:c3-5:idfnone");
    expect(createEmbedder({ kind: "hashed", dimension: 64, charNgrams: false }, environment).id).toBe("hashed-v1:d64:w1-2:c0:idfnone");
  });

  it("fits IDF from idfCorpus and wraps a cache when asked", () => {
    const embedder = createEmbedder({ idfCorpus: ["a b", "a c"], cache: 10 }, environment) as ReturnType<typeof moduleUnderTest.cachedEmbedder>;
    expect(embedder.id).toMatch(/idf[0-9a-f]{8}$/);
    embedder.embed(["a"]);
    embedder.embed(["a"]);
    expect(embedder.stats().hits).toBe(1);
  });

  it("loads a stateFile relative to dataDir", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "moe-embeddings-"));
    const original = hashedEmbedder({ dimension: 128 });
    original.fitIdf(["reset password", "deploy api"]);
    writeFileSync(join(dataDir, "idf.json"), JSON.stringify(original.exportState()));
    expect(createEmbedder({ stateFile: "idf.json" }, { dataDir }).id).toBe(original.id);
  });

  it("says what is wrong with a config", () => {
    expect(codeOf(() => createEmbedder({ kind: "use" }, environment))).toBe("MOE_INVALID_CONFIG");
    expect(codeOf(() => createEmbedder({ dimention: 5 }, environment))).toBe("MOE_UNKNOWN_OPTION");
    expect(codeOf(() => createEmbedder({ cache: -1 }, environment))).toBe("MOE_INVALID_CONFIG");
    expect(codeOf(() => createEmbedder({ stateFile: "missing.json" }, environment))).toBe("MOE_NOT_FOUND");
    expect(codeOf(() => createEmbedder({ stateFile: "x.json", dimension: 5 }, environment))).toBe("MOE_INVALID_CONFIG");
    const dataDir = mkdtempSync(join(tmpdir(), "moe-embeddings-"));
    writeFileSync(join(dataDir, "bad.json"), "{not json");
    expect(codeOf(() => createEmbedder({ stateFile: "bad.json" }, { dataDir }))).toBe("MOE_CORRUPT_FILE");
  });
});
