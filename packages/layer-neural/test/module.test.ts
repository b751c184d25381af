import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LayerModule } from "@moe-router/core";
import * as neural from "../src/index.js";
import { embedRows, miniRows, testEmbedder } from "./helpers.js";

const dataDir = mkdtempSync(join(tmpdir(), "neural-module-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const embedder = testEmbedder();
const ctx = { eventId: "e" };

describe("createLayer (config-file entry point)", () => {
  const module: LayerModule = neural;

  it("is untrained without a model file and saves to the default path after learn()", async () => {
    const layer = await module.createLayer({}, { dataDir, embedder });
    expect((await layer.route({ description: "hi" }, ctx)).confidence).toBe(0);
    await layer.learn!([
      { text: "deploy to prod", expert: "cicd-master" },
      { text: "patch the cve", expert: "security-master" },
    ]);
    const reloaded = await module.createLayer({}, { dataDir, embedder });
    expect((await reloaded.route({ description: "deploy to prod" }, ctx)).expert).toBe("cicd-master");
    expect(neural.defaultModelPath(dataDir)).toBe(join(dataDir, "neural", "model.json"));
  });

  it("loads modelPath relative to the data directory", async () => {
    const rows = miniRows("hwu64").filter((r) => r.split === "train");
    await neural.saveHead(neural.trainHead(embedRows(rows, embedder), { embedderId: embedder.id, epochs: 10 }), join(dataDir, "custom", "head.json"));
    const layer = await module.createLayer({ modelPath: "custom/head.json", name: "pytorch" }, { dataDir, embedder });
    expect(layer.name).toBe("pytorch");
    const verdict = await layer.route({ description: "remove the alarm" }, ctx);
    expect(verdict.expert).toBe("alarm_remove");
    expect(verdict.confidence).toBeGreaterThan(0);
  });

  it("needs an embedder and known options", () => {
    expect(() => module.createLayer({}, { dataDir })).toThrow(/needs an embedder/);
    expect(() => module.createLayer({ model: "x" }, { dataDir, embedder })).toThrow(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION" }));
  });
});
