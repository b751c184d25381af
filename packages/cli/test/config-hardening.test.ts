import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/io.js";
import { trackedProject } from "./support/tracking.js";

function withConfig(cwd: string, patch: Record<string, unknown>): string {
  const config = {
    experts: ["security-master", "cicd-master", "inventory-master", "development-master", "coordinator-master"],
    layers: [{ package: "./layer.mjs", threshold: 0.85 }],
    ...patch,
  };
  writeFileSync(join(cwd, "moe.json"), JSON.stringify(config));
  return "moe.json";
}

describe("config hardening: tracking.store typos are config errors", () => {
  it.each(["mysql://x", "events.txt", "?rotate=daily", "jsonl:events.jsonl?rotate=daily"])("refuses store %j with exit 2 naming the accepted forms, and writes nothing", async (store) => {
    const cwd = trackedProject();
    const config = withConfig(cwd, { tracking: { store } });
    const run = await runCli(["route", "Deploy it", "--config", config], cwd);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error \[MOE_INVALID_CONFIG\]: .*jsonl:<path>.*postgres:\/\//);
    expect(run.stderr).not.toMatch(/Tracking is off/);
    expect(existsSync(join(cwd, ".moe-router"))).toBe(false);
  });

  it("refuses a --store typo the same way", async () => {
    const cwd = trackedProject();
    const run = await runCli(["route", "Deploy it", "--config", "moe.json", "--store", "events.txt"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MOE_INVALID_CONFIG.*events\.txt/);
  });

  it("still routes (with one warning) when a valid store cannot be opened", async () => {
    const cwd = trackedProject();
    writeFileSync(join(cwd, "blocker"), "not a directory");
    const run = await runCli(["route", "Deploy it", "--config", "moe.json", "--store", "blocker/events.jsonl"], cwd);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ master: "cicd-master" });
    expect(run.stderr).toMatch(/^warning \[MOE_STORE_FAILED\]/);
  });
});

describe("config hardening: values of the wrong type are coded errors (exit 2, no stack)", () => {
  it.each([
    ['experts: "x"', { experts: "x" }, /experts must be a non-empty list/],
    ["dataDir: 42", { dataDir: 42 }, /dataDir must be a non-empty string/],
    ["thresholdsFile: 42", { thresholdsFile: 42 }, /thresholdsFile must be a non-empty string/],
    ['tracking: "yes"', { tracking: "yes" }, /tracking must be an object/],
    ['tracking.enabled: "no"', { tracking: { enabled: "no" } }, /tracking\.enabled must be true or false/],
    ["tracking.store: 42", { tracking: { store: 42 } }, /tracking\.store must be a non-empty string/],
    ["fallback.expert: 7", { fallback: { expert: 7 } }, /fallback\.expert must be a non-empty string/],
    ['layerTimeoutMs: "1s"', { layerTimeoutMs: "1s" }, /layerTimeoutMs must be a positive number/],
  ])("route refuses %s", async (_name, patch, message) => {
    const cwd = trackedProject();
    const run = await runCli(["route", "Deploy it", "--config", withConfig(cwd, patch)], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error \[MOE_INVALID_CONFIG\]: .*moe\.json: /);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("moe-router route --verbose", () => {
  it("lists the modules loaded, resolved against the config file's directory", async () => {
    const cwd = trackedProject();
    const run = await runCli(["route", "Deploy it", "--config", join(cwd, "moe.json"), "--no-track", "--verbose"], "/");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`info: loaded layer module "./layer.mjs" from file://${join(cwd, "layer.mjs")}`);
    const out = JSON.parse(run.stdout) as { attempts: Array<Record<string, unknown>> };
    expect(out.attempts[0]).toMatchObject({ threshold: 0.85, threshold_source: "config" });
  });
});
