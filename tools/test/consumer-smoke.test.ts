import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packPackages } from "../checks/pack.js";
import { repoRoot } from "../checks/workspace.js";

/** Model runtimes and database drivers that core + layer-keyword + tracker must not pull in. */
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

describe("consumer smoke test: packed tarballs installed outside the workspace", () => {
  let consumer = "";
  beforeAll(() => {
    execFileSync(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-b", "packages/core", "packages/layer-keyword", "packages/tracker"], { cwd: repoRoot, stdio: "pipe" });
    const tarballs = packPackages(["core", "layer-keyword", "tracker"], mkdtempSync(join(tmpdir(), "moe-tarballs-")));
    consumer = mkdtempSync(join(tmpdir(), "moe-consumer-"));
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    // Unreleased packages are 0.0.0 while their peer ranges already name the first release
    // (^0.1.0, what `changeset version` produces), so npm is told not to enforce peer ranges here.
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", "--legacy-peer-deps", ...Object.values(tarballs)], { cwd: consumer, stdio: "pipe" });
    writeFileSync(join(consumer, "main.mjs"), CONSUMER_SCRIPT);
  }, 180_000);

  it("runs a tracked cascade from the installed packages", () => {
    const output = execFileSync(process.execPath, ["main.mjs"], { cwd: consumer, encoding: "utf8" });
    expect(JSON.parse(output)).toMatchObject({ expert: "cicd-master", layer: "keyword", outcome: { task_completed: true, was_correct_master: true } });
  });

  it("pulls in no model runtime or database driver", () => {
    const installed = readdirSync(join(consumer, "node_modules")).flatMap((name) =>
      name.startsWith("@") ? readdirSync(join(consumer, "node_modules", name)).map((sub) => `${name}/${sub}`) : [name],
    );
    expect(installed.filter((name) => name.startsWith("@moe-router/")).sort()).toEqual(["@moe-router/core", "@moe-router/layer-keyword", "@moe-router/tracker"]);
    for (const heavy of HEAVY) expect(installed.some((name) => name === heavy || name.startsWith(`${heavy}/`)), `${heavy} was installed`).toBe(false);
    expect(existsSync(join(consumer, "node_modules/@moe-router/core/dist/index.js"))).toBe(true);
  });
});
