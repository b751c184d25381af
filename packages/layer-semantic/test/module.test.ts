import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LayerModule } from "@moe-router/core";
import * as semantic from "../src/index.js";
import { createLayer, DEFAULT_EXPERT_EXEMPLARS } from "../src/index.js";
import { fakeEmbedder } from "./support/fake-embedder.js";

const context = { eventId: "test" };
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "moe-semantic-module-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe("createLayer (config files)", () => {
  it("is a LayerModule", () => {
    const module: LayerModule = semantic;
    expect(typeof module.createLayer).toBe("function");
  });

  it("says how to add an embedder when the environment has none", () => {
    expect(() => createLayer({}, { dataDir })).toThrowError(
      expect.objectContaining({
        code: "MOE_INVALID_CONFIG",
        message: expect.stringContaining('The semantic layer needs an embedder: add "embedder": { "package": "@moe-router/embeddings" } to the config'),
      }),
    );
  });

  it("runs on the default exemplars with no options, persisting under dataDir", async () => {
    const layer = createLayer(undefined, { dataDir, embedder: fakeEmbedder() });
    expect(layer.name).toBe("semantic");
    expect((await layer.route({ description: "Rotate the leaked AWS access keys" }, context)).expert).toBe("security-master");
    await layer.close?.();
    expect(existsSync(join(dataDir, "semantic-semantic.vectors"))).toBe(true);
  });

  it("limits the defaults to the experts the cascade declares", async () => {
    const layer = createLayer({ persist: false }, { dataDir, embedder: fakeEmbedder(), experts: ["cicd-master", "development-master", "coordinator-master"] });
    const verdict = await layer.route({ description: "Rotate the leaked AWS access keys" }, context);
    expect(["cicd-master", "development-master"]).toContain(verdict.expert);
    expect(() => createLayer({}, { dataDir, embedder: fakeEmbedder(), experts: ["chef"] })).toThrowError(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
  });

  it("reads exemplars from a JSONL file, using only its train split", async () => {
    const file = join(dataDir, "exemplars.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ text: "bake a chocolate cake", label: "chef", split: "train" }),
        JSON.stringify({ text: "fix the leaking pipe", expert: "plumber" }),
        JSON.stringify({ text: "bake bread for the party", label: "plumber", split: "test" }),
        "",
      ].join("\n"),
    );
    const embedder = fakeEmbedder();
    const layer = createLayer({ exemplarsFile: file, name: "kitchen", persist: false }, { dataDir, embedder });
    expect((await layer.route({ description: "bake a cake" }, context)).expert).toBe("chef");
    expect(embedder.texts).not.toContain("bake bread for the party");
    expect(layer.name).toBe("kitchen");
  });

  it("reports a missing or malformed exemplars file with a coded error", () => {
    const environment = { dataDir, embedder: fakeEmbedder() };
    expect(() => createLayer({ exemplarsFile: join(dataDir, "nope.jsonl") }, environment)).toThrowError(expect.objectContaining({ code: "MOE_NOT_FOUND" }));
    const bad = join(dataDir, "bad.jsonl");
    writeFileSync(bad, '{"text": "ok", "label": "a"}\n{not json}\n');
    expect(() => createLayer({ exemplarsFile: bad }, environment)).toThrowError(expect.objectContaining({ code: "MOE_INVALID_CONFIG", message: expect.stringContaining("Line 2") }));
  });

  it("passes layer options through and rejects unknown ones", async () => {
    const environment = { dataDir, embedder: fakeEmbedder() };
    const layer = createLayer(
      { experts: { a: { exemplars: ["alpha task"] }, b: { exemplars: ["beta task"] } }, scoring: "centroid", calibration: { kind: "temperature", temperature: 0.1 }, persist: false },
      environment,
    );
    expect((await layer.route({ description: "alpha" }, context)).details).toMatchObject({ scoring: "centroid" });
    expect(() => createLayer({ scorng: "max" }, environment)).toThrowError(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION", message: expect.stringContaining("scorng") }));
    expect(() => createLayer({ persistPath: "/tmp/x" }, environment)).toThrowError(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION" }));
  });

  it("ships 15-25 default exemplars for each of the prototype's experts", () => {
    expect(Object.keys(DEFAULT_EXPERT_EXEMPLARS).sort()).toEqual(["cicd-master", "development-master", "inventory-master", "security-master"]);
    for (const spec of Object.values(DEFAULT_EXPERT_EXEMPLARS)) {
      expect(spec.exemplars.length).toBeGreaterThanOrEqual(15);
      expect(spec.exemplars.length).toBeLessThanOrEqual(25);
      expect(new Set(spec.exemplars).size).toBe(spec.exemplars.length);
    }
    expect(Object.isFrozen(DEFAULT_EXPERT_EXEMPLARS["cicd-master"]!.exemplars)).toBe(true);
  });
});
