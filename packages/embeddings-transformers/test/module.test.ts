import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EmbedderModule } from "@moe-router/core";
import { isMoeRouterError } from "@moe-router/core";
import * as moduleUnderTest from "../src/index.js";
import { writeTinyModel } from "./support/tiny-model.js";

describe("createEmbedder (EmbedderModule)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "moe-transformers-module-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("resolves a relative modelDir against dataDir", async () => {
    const asModule: EmbedderModule = moduleUnderTest;
    writeTinyModel(join(dataDir, "models", "tiny-bert"));
    const embedder = await asModule.createEmbedder({ kind: "transformers", modelDir: "models/tiny-bert" }, { dataDir });
    const [v] = await embedder.embed(["fix the bug"]);
    await embedder.close?.();
    expect(v!.length).toBe(8);
  });

  it("rejects another kind", async () => {
    const error = await moduleUnderTest.createEmbedder({ kind: "use" }, { dataDir }).catch((e: unknown) => e);
    expect(isMoeRouterError(error, "MOE_INVALID_CONFIG")).toBe(true);
  });
});
