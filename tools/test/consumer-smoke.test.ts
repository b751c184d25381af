import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packPackages } from "../checks/pack.js";
import { repoRoot } from "../checks/workspace.js";

/** Model runtimes and database drivers that core + layer-keyword + tracker + layer-rag must not pull in (pg is an optional peer). */
const HEAVY = ["onnxruntime-node", "onnxruntime-web", "onnxruntime-common", "@huggingface", "@energetic-ai", "pg", "@electric-sql", "sharp", "@tensorflow"];

const CONSUMER_SCRIPT = `
import { createCascade } from "@moe-router/core";
import { keywordLayer } from "@moe-router/layer-keyword";
import { createTracker, jsonlStore } from "@moe-router/tracker";

const store = jsonlStore({ path: "events.jsonl" });
const tracker = createTracker({ store });
const cascade = createCascade({ layers: [{ layer: keywordLayer(), threshold: 0.85 }], observers: [tracker] });
const decision = await cascade.route({ description: "Deploy API to production" });
await tracker.recordOutcome(decision.eventId, { completed: true, correct: true, minutes: 12 });
const [event] = await tracker.getRecentEvents(1);
await tracker.close();
console.log(JSON.stringify({ expert: decision.expert, layer: decision.layer, outcome: event.outcome }));
`;

// The test kits, run by a third party's test file under node:test (no vitest installed).
const KITS_SCRIPT = `
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { layerConformance } from "@moe-router/core/testing";
import { keywordLayer } from "@moe-router/layer-keyword";
import { embeddedStore } from "@moe-router/layer-rag";
import { vectorStoreSuite } from "@moe-router/layer-rag/testing";
import { jsonlStore } from "@moe-router/tracker";
import { eventStoreSuite } from "@moe-router/tracker/testing";

const dir = mkdtempSync(join(tmpdir(), "moe-kits-"));
let n = 0;
layerConformance({ describe, it }, () => keywordLayer());
eventStoreSuite({ describe, it }, "jsonl", () => ({ bulkRecords: 500, fresh: async () => { const path = join(dir, \`events-\${++n}.jsonl\`); return { open: async () => jsonlStore({ path }) }; } }));
vectorStoreSuite({ describe, it }, "embedded", async ({ dimension, embedderId, name }) => embeddedStore({ dimension, embedderId, path: join(dir, \`\${name}.moerag\`) }), { persistent: true });
`;

const PACKED = ["core", "layer-keyword", "tracker", "layer-rag"];

describe("consumer smoke test: packed tarballs installed outside the workspace", () => {
  let consumer = "";
  beforeAll(() => {
    execFileSync(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-b", ...PACKED.map((p) => `packages/${p}`)], { cwd: repoRoot, stdio: "pipe" });
    const tarballs = packPackages(PACKED, mkdtempSync(join(tmpdir(), "moe-tarballs-")));
    consumer = mkdtempSync(join(tmpdir(), "moe-consumer-"));
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    // Plain npm, peer ranges enforced: versions and peer ranges agree (tools/checks/manifests.ts keeps them so).
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...Object.values(tarballs)], { cwd: consumer, stdio: "pipe" });
    writeFileSync(join(consumer, "main.mjs"), CONSUMER_SCRIPT);
    writeFileSync(join(consumer, "kits.test.mjs"), KITS_SCRIPT);
  }, 180_000);

  it("runs a tracked cascade from the installed packages", () => {
    const output = execFileSync(process.execPath, ["main.mjs"], { cwd: consumer, encoding: "utf8" });
    expect(JSON.parse(output)).toMatchObject({ expert: "cicd-master", layer: "keyword", outcome: { task_completed: true, was_correct_master: true } });
  });

  it("pulls in no model runtime or database driver", () => {
    const installed = readdirSync(join(consumer, "node_modules")).flatMap((name) => (name.startsWith("@") ? readdirSync(join(consumer, "node_modules", name)).map((sub) => `${name}/${sub}`) : [name]));
    expect(installed.filter((name) => name.startsWith("@moe-router/")).sort()).toEqual(["@moe-router/core", "@moe-router/layer-keyword", "@moe-router/layer-rag", "@moe-router/tracker"]);
    for (const heavy of HEAVY)
      expect(
        installed.some((name) => name === heavy || name.startsWith(`${heavy}/`)),
        `${heavy} was installed`,
      ).toBe(false);
    expect(existsSync(join(consumer, "node_modules/@moe-router/core/dist/index.js"))).toBe(true);
  });

  it("runs the published test kits (conformance, EventStore, VectorStore) from the consumer's side", () => {
    const result = spawnSync(process.execPath, ["--test", "--test-reporter=tap", "kits.test.mjs"], { cwd: consumer, encoding: "utf8", timeout: 120_000 });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)$`, "m").exec(result.stdout)?.[1] ?? -1);
    expect(count("fail")).toBe(0);
    expect(count("pass")).toBeGreaterThan(20);
    // The keyword layer neither learns, persists nor is async: those groups show as skipped.
    expect(count("skipped")).toBeGreaterThan(0);
    expect(result.stdout).toContain("shared store suite");
  }, 150_000);
});
