import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LabelledExample, Verdict } from "@moe-router/core";
import { loadHead, neuralLayer, trainHead } from "../src/index.js";
import { embedRows, miniRows, testEmbedder } from "./helpers.js";

const embedder = testEmbedder();
const rows = miniRows("hwu64");
const train = rows.filter((r) => r.split === "train");
const test = rows.filter((r) => r.split === "test");
const ctx = { eventId: "e" };
const dir = mkdtempSync(join(tmpdir(), "neural-learn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const route = (layer: ReturnType<typeof neuralLayer>, text: string) => layer.route({ description: text }, ctx) as Verdict;
const accuracyOn = (layer: ReturnType<typeof neuralLayer>, subset: typeof rows) => subset.filter((r) => route(layer, r.text).expert === r.label).length / subset.length;

describe("learn()", () => {
  it("answers the fallback expert with confidence 0 until it has seen two experts", async () => {
    const layer = neuralLayer({ embedder, fallbackExpert: "coordinator-master" });
    expect(route(layer, "deploy the app")).toMatchObject({ expert: "coordinator-master", confidence: 0, details: { trained: false } });
    await layer.learn!([{ text: "deploy the app to staging", expert: "cicd-master" }]);
    expect(route(layer, "deploy the app").confidence).toBe(0);
    await layer.learn!([{ text: "rotate the leaked password", expert: "security-master" }]);
    expect(route(layer, "deploy the app to staging").expert).toBe("cicd-master");
    expect(route(layer, "rotate the leaked password").expert).toBe("security-master");
  });

  it("learns a dataset from scratch well enough to generalise", async () => {
    const layer = neuralLayer({ embedder });
    await layer.learn!(train.map((r) => ({ text: r.text, expert: r.label })));
    expect(accuracyOn(layer, train)).toBe(1);
    expect(accuracyOn(layer, test)).toBeGreaterThan(0.6);
  });

  it("absorbs corrections and new experts without forgetting the rest (replay)", async () => {
    const head = trainHead(embedRows(train, embedder), { embedderId: embedder.id, epochs: 20 });
    const layer = neuralLayer({ embedder, model: head });
    const before = accuracyOn(layer, test);
    const text = "wake me up at seven tomorrow";
    const original = route(layer, text).expert;
    const corrections: LabelledExample[] = [
      { text, expert: "security-master", source: "outcome" },
      { text: "rotate the api keys of the billing service", expert: "security-master", source: "outcome" },
      { text: "check the firewall rules for the vpn", expert: "security-master", source: "outcome" },
    ];
    await layer.learn!(corrections);
    expect(original).not.toBe("security-master");
    for (const c of corrections) expect(route(layer, c.text).expert).toBe("security-master");
    // The other classes survive: accuracy on unseen test rows drops by little if at all.
    expect(accuracyOn(layer, test)).toBeGreaterThanOrEqual(before - 0.1);
    expect(head.labels).not.toContain("security-master"); // the given head is not mutated
  });

  it("lets a later label for the same text win", async () => {
    const layer = neuralLayer({ embedder });
    await layer.learn!([
      { text: "build failed on main", expert: "cicd-master" },
      { text: "open ports scan", expert: "security-master" },
    ]);
    expect(route(layer, "build failed on main").expert).toBe("cicd-master");
    await layer.learn!([{ text: "build failed on main", expert: "development-master" }]);
    expect(route(layer, "build failed on main").expert).toBe("development-master");
  });

  it("serialises concurrent learn() calls", async () => {
    const layer = neuralLayer({ embedder });
    await Promise.all([
      layer.learn!([
        { text: "deploy to prod", expert: "cicd-master" },
        { text: "patch the cve", expert: "security-master" },
      ]),
      layer.learn!([{ text: "count the servers", expert: "inventory-master" }]),
      layer.learn!([{ text: "refactor the parser", expert: "development-master" }]),
    ]);
    for (const [text, expert] of [
      ["deploy to prod", "cicd-master"],
      ["patch the cve", "security-master"],
      ["count the servers", "inventory-master"],
      ["refactor the parser", "development-master"],
    ]) {
      expect(route(layer, text!).expert).toBe(expert);
    }
  });

  it("saves the fine-tuned head where it loads it from", async () => {
    const path = join(dir, "neural", "model.json");
    const layer = neuralLayer({ embedder, savePath: path });
    expect(existsSync(path)).toBe(false);
    await layer.learn!([
      { text: "deploy to prod", expert: "cicd-master" },
      { text: "patch the cve", expert: "security-master" },
    ]);
    const saved = await loadHead(path, { embedderId: embedder.id });
    expect(saved.labels).toEqual(["cicd-master", "security-master"]);
    expect(saved.replay.map((r) => r.text)).toEqual(["deploy to prod", "patch the cve"]);
    const reopened = neuralLayer({ embedder, model: path });
    expect(route(reopened, "deploy to prod").expert).toBe("cicd-master");
    expect(reopened.capabilities?.persistence).toBe(true);
  });

  it("rejects examples without text or expert", async () => {
    const layer = neuralLayer({ embedder });
    await expect(layer.learn!([{ text: "", expert: "x" }])).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
    await expect(layer.learn!([{ text: "a", expert: undefined as never }])).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });
});
