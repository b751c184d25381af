import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "../src/bin.ts");

function project(layerSource: string, extra: Record<string, unknown> = {}): string {
  const cwd = tempCwd("moe-cli-startup-");
  writeFileSync(join(cwd, "bad-layer.mjs"), layerSource);
  writeFileSync(join(cwd, "moe.json"), JSON.stringify({ layers: [{ package: "./bad-layer.mjs", threshold: 0.5 }], tracking: { enabled: false }, ...extra }));
  return cwd;
}

describe("layer start-up failures are coded errors naming the package", () => {
  it("a createLayer that throws a plain error: MOE_LAYER_START_FAILED, exit 2, no stack", async () => {
    const cwd = project('export function createLayer() { throw new TypeError("cannot read the rules file"); }');
    const run = await runCli(["route", "Deploy", "--config", "moe.json"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error [MOE_LAYER_START_FAILED]: Layer "./bad-layer.mjs" failed to start: cannot read the rules file. Fix the module or its options in the config.\n');
  });

  it("a createLayer that never settles: the start-up budget ends it with a coded error", async () => {
    const cwd = project("export function createLayer() { return new Promise(() => {}); }", { startupTimeoutMs: 300 });
    const started = Date.now();
    const run = await runCli(["route", "Deploy", "--config", "moe.json"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error \[MOE_LAYER_START_FAILED\]: Layer "\.\/bad-layer\.mjs" did not start within 300 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("an embedder that throws is named too", async () => {
    const cwd = project('export function createLayer() { return { name: "x", route: () => ({ expert: "a", confidence: 1 }) }; }', { embedder: { package: "./bad-embedder.mjs" } });
    writeFileSync(join(cwd, "bad-embedder.mjs"), 'export function createEmbedder() { throw new Error("model file missing"); }');
    const run = await runCli(["route", "Deploy", "--config", "moe.json"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error \[MOE_LAYER_START_FAILED\]: Embedder "\.\/bad-embedder\.mjs" failed to start: model file missing/);
  });

  it("as a process, a never-settling createLayer exits 2 with the message, not 0 in silence", () => {
    const cwd = project("export function createLayer() { return new Promise(() => {}); }", { startupTimeoutMs: 500 });
    // Run from the package (where tsx resolves); the layer path resolves against the config's directory.
    const run = spawnSync(process.execPath, ["--conditions=moe-router-source", "--import", "tsx", BIN, "route", "Deploy", "--config", join(cwd, "moe.json")], {
      cwd: dirname(BIN),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stderr).toMatch(/error \[MOE_LAYER_START_FAILED\]: Layer "\.\/bad-layer\.mjs" did not start within 500 ms/);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
  }, 90_000);
});
