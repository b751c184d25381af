import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

async function ok(argv: string[], cwd: string): Promise<string> {
  const run = await runCli(argv, cwd);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run.stdout;
}

describe("moe-router learn", () => {
  it("route -> outcome --corrected-to X -> learn: the same task then routes to X without the fallback; twice applies nothing", async () => {
    const cwd = tempCwd("moe-cli-learn-");
    const task = "Plan the team offsite in Lisbon";
    const before = JSON.parse(await ok(["route", task], cwd)) as { layer: string; master: string; event_id: string };
    expect(before).toMatchObject({ layer: "clarification", master: "coordinator-master" });
    await ok(["outcome", before.event_id, "--completed", "--corrected-to", "inventory-master"], cwd);

    const first = await ok(["learn", "--json"], cwd);
    const report = JSON.parse(first) as { corrections: number; layers: Array<{ layer: string; applied: number; alreadyLearned: number }> };
    expect(report.corrections).toBe(1);
    expect(report.layers).toEqual([{ layer: "semantic", applied: 1, alreadyLearned: 0 }]);

    const after = JSON.parse(await ok(["route", task], cwd)) as { layer: string; master: string };
    expect(after).toMatchObject({ master: "inventory-master", layer: "semantic" });

    const second = await ok(["learn"], cwd);
    expect(second).toMatch(/1 corrected outcome\(s\) in \.moe-router\/events\.jsonl/);
    expect(second).toMatch(/semantic\s+0 applied \(1 learned before\)/);
  }, 60_000);

  it("needs a store it can open, and refuses a bad --since", async () => {
    const cwd = tempCwd("moe-cli-learn-");
    const typo = await runCli(["learn", "--store", "events.txt"], cwd);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^error \[MOE_INVALID_CONFIG\]: Store "events\.txt"/);
    const since = await runCli(["learn", "--since", "yesterday"], cwd);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/^error \[MOE_INVALID_ARGUMENT\]: --since must be a date/);
  });
});

describe("moe-router thresholds", () => {
  it("shows each layer's threshold and where it comes from; --verbose on route says the file overrides the config", async () => {
    const cwd = tempCwd("moe-cli-thresholds-");
    const plain = await ok(["thresholds"], cwd);
    expect(plain).toMatch(/keyword\s+0\.850\s+config\s+0\.850/);
    expect(plain).toMatch(/semantic\s+0\.700\s+config\s+0\.700/);
    expect(plain).toMatch(/none written yet/);

    mkdirSync(join(cwd, ".moe-router"), { recursive: true });
    const file = {
      version: 1,
      updated_at: "2026-11-30T10:00:00.000Z",
      thresholds: { keyword: 0.9 },
      experiment: { name: "lower-semantic", share: 0.1, candidate_thresholds: { semantic: 0.6 }, started_at: "2026-11-30T10:00:00.000Z" },
    };
    writeFileSync(join(cwd, ".moe-router/thresholds.json"), JSON.stringify(file));
    const tuned = await ok(["thresholds"], cwd);
    expect(tuned).toMatch(/keyword\s+0\.900\s+thresholds file\s+0\.850/);
    expect(tuned).toMatch(/semantic\s+0\.700\s+config\s+0\.700/);
    expect(tuned).toMatch(/Experiment "lower-semantic" \(from the thresholds file\): 10\.0% of tasks use candidate thresholds semantic 0\.600/);
    const json = JSON.parse(await ok(["thresholds", "--json"], cwd)) as { layers: unknown[] };
    expect(json.layers[0]).toEqual({ layer: "keyword", threshold: 0.9, source: "thresholds-file", configThreshold: 0.85 });

    const run = await runCli(["route", "Deploy API to production", "--no-track", "--verbose", "--task-id", "t-1"], cwd);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/info: thresholds file .*thresholds\.json overrides the config: layer "keyword" threshold 0\.85 -> 0\.9/);
    expect(run.stderr).toMatch(/info: loaded layer module "@moe-router\/layer-keyword"/);
    const out = JSON.parse(run.stdout) as { attempts: Array<{ layer: string; threshold: number; threshold_source: string }> };
    expect(out.attempts[0]).toMatchObject({ layer: "keyword", threshold: 0.9, threshold_source: "thresholds-file" });
  }, 60_000);
});

describe("isolate: worker from the CLI", () => {
  it("a layer in an infinite loop is pre-empted: route still answers through the next layer", async () => {
    const cwd = tempCwd("moe-cli-isolate-");
    writeFileSync(join(cwd, "spin.mjs"), 'export function createLayer() { return { name: "spin", route() { for (;;) {} } }; }');
    writeFileSync(
      join(cwd, "moe.json"),
      JSON.stringify({
        layers: [
          { package: "./spin.mjs", threshold: 0.5, isolate: "worker", timeoutMs: 300 },
          { package: "@moe-router/layer-keyword", threshold: 0.85 },
        ],
        tracking: { enabled: false },
      }),
    );
    const run = await runCli(["route", "Deploy API to production", "--config", "moe.json"], cwd);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { master: string; layer: string; attempts: Array<{ layer: string; error?: { code: string } }> };
    expect(out).toMatchObject({ master: "cicd-master", layer: "keyword" });
    expect(out.attempts[0]).toMatchObject({ layer: "spin", error: { code: "MOE_LAYER_TIMEOUT" } });
    expect(run.stderr).toMatch(/warning \[MOE_LAYER_TIMEOUT\]/);
  }, 60_000);
});
