import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashedEmbedder } from "@moe-router/embeddings";
import { describe, expect, it } from "vitest";
import { createLayer, openStore } from "../src/index.js";
import { loadPg } from "../src/internal/load-pg.js";

const dataDir = () => mkdtempSync(join(tmpdir(), "moe-rag-module-"));

describe("createLayer (config entry point)", () => {
  it("persists learned tasks in the embedded store under <dataDir>/rag and reads them back", async () => {
    const dir = dataDir();
    const embedder = hashedEmbedder();
    const first = await createLayer({ k: 4 }, { embedder, dataDir: dir, experts: ["security-master", "cicd-master", "coordinator-master"] });
    expect(first.capabilities).toMatchObject({ persistence: true, experts: ["security-master", "cicd-master", "coordinator-master"] });
    await first.learn([
      { text: "Rotate the leaked API keys for billing", expert: "security-master" },
      { text: "Cache artifacts in the release pipeline", expert: "cicd-master" },
    ]);
    await first.close();
    expect(existsSync(join(dir, "rag", "index.moerag"))).toBe(true);

    const second = await createLayer({}, { embedder, dataDir: dir });
    const verdict = await second.route({ description: "rotate leaked keys" }, { eventId: "e" });
    expect(verdict.expert).toBe("security-master");
    await second.close();
  });

  it("refuses an index built with another embedder and says to re-index", async () => {
    const dir = dataDir();
    const layer = await createLayer({}, { embedder: hashedEmbedder(), dataDir: dir });
    await layer.learn([{ text: "Deploy the API", expert: "cicd-master" }]);
    await layer.close();
    await expect(createLayer({}, { embedder: hashedEmbedder({ dimension: 512 }), dataDir: dir })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/Re-index/) });
  });

  it("needs an embedder and known options", async () => {
    await expect(createLayer({}, { dataDir: dataDir() })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/"embedder"/) });
    await expect(createLayer({ stor: "memory" }, { embedder: hashedEmbedder(), dataDir: dataDir() })).rejects.toMatchObject({ code: "MOE_UNKNOWN_OPTION" });
    await expect(createLayer("fast", { embedder: hashedEmbedder(), dataDir: dataDir() })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
    await expect(createLayer({ k: -1, store: "memory" }, { embedder: hashedEmbedder(), dataDir: dataDir() })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });
});

describe("openStore", () => {
  const embedder = hashedEmbedder({ dimension: 64 });

  it("opens memory and file-backed embedded stores", async () => {
    const dir = dataDir();
    const memory = await openStore("memory", { embedder, dataDir: dir });
    expect(memory).toMatchObject({ kind: "embedded", path: undefined, dimension: 64 });
    const file = await openStore("embedded:custom/items.moerag", { embedder, dataDir: dir });
    expect(file).toMatchObject({ kind: "embedded", path: join(dir, "custom", "items.moerag") });
    const byDefault = await openStore(undefined, { embedder, dataDir: dir });
    expect(byDefault).toMatchObject({ path: join(dir, "rag", "index.moerag") });
  });

  it("rejects an unknown spec with the accepted forms", async () => {
    await expect(openStore("redis://x", { embedder, dataDir: dataDir() })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/postgres:\/\//) });
  });

  it("reports an unreachable PostgreSQL server as MOE_STORE_FAILED", async () => {
    await expect(openStore("postgres://nobody@127.0.0.1:1/none", { embedder, dataDir: dataDir() })).rejects.toMatchObject({ code: "MOE_STORE_FAILED" });
  });

  it("explains how to install pg when it is missing", async () => {
    await expect(loadPg(() => Promise.reject(new Error("Cannot find package 'pg'")))).rejects.toMatchObject({ code: "MOE_NOT_FOUND", message: expect.stringMatching(/npm i pg/) });
    const pg = await loadPg();
    expect(typeof pg.Pool).toBe("function");
  });
});
