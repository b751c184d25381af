import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_TASKS } from "../src/demo-tasks.js";
import { runCli, tempCwd } from "./support/io.js";

describe("moe-router demo (the README's main job)", () => {
  it("routes the sample tasks, records an outcome for each decision and prints the analysis", async () => {
    const cwd = tempCwd();
    const run = await runCli(["demo"], cwd);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ok {2}cicd-master +keyword +0\.86 +Deploy API to production/);
    expect(run.stdout).toMatch(/\d+\/16 routed to the right expert/);
    expect(run.stdout).toContain("Routing performance analysis");
    const records = readFileSync(join(cwd, ".moe-router/demo-events.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { record_type: string; event_id: string });
    const decisions = records.filter((r) => r.record_type === "decision");
    const outcomes = records.filter((r) => r.record_type === "outcome");
    expect(decisions.length).toBeGreaterThanOrEqual(DEMO_TASKS.length);
    expect(new Set(outcomes.map((o) => o.event_id))).toEqual(new Set(decisions.map((d) => d.event_id)));
  });

  it("starts from a fresh log unless --keep is given", async () => {
    const cwd = tempCwd();
    await runCli(["demo"], cwd);
    const first = readFileSync(join(cwd, ".moe-router/demo-events.jsonl"), "utf8").split("\n").length;
    await runCli(["demo"], cwd);
    expect(readFileSync(join(cwd, ".moe-router/demo-events.jsonl"), "utf8").split("\n").length).toBe(first);
    await runCli(["demo", "--keep"], cwd);
    expect(readFileSync(join(cwd, ".moe-router/demo-events.jsonl"), "utf8").split("\n").length).toBeGreaterThan(first);
  });
});
