import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

const lines = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

// Issue 13: `generate` wrote into the real log and `tune` then moved the keyword threshold on sample data.
describe("sample data kept apart", () => {
  it("generate writes its own log by default, every record marked synthetic (schema version 2)", async () => {
    const cwd = tempCwd();
    const run = await runCli(["generate", "-n", "50"], cwd);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ decisions: 50, synthetic: true, store: ".moe-router/sample-events.jsonl" });
    expect(existsSync(join(cwd, ".moe-router/events.jsonl"))).toBe(false);
    const records = lines(join(cwd, ".moe-router/sample-events.jsonl"));
    expect(records.every((r) => r.synthetic === true && r.schema_version === 2)).toBe(true);
    expect(Object.keys(records[0]!).slice(0, 4)).toEqual(["schema_version", "record_type", "event_id", "timestamp"]);
  });

  it("generate into the real log, then tune: no threshold moves on sample data unless --include-synthetic", async () => {
    const cwd = tempCwd();
    expect((await runCli(["generate", "-n", "4000", "--days", "2", "--store", ".moe-router/events.jsonl"], cwd)).code).toBe(0);
    const tuned = await runCli(["tune", "--json"], cwd);
    expect(tuned.stderr).toMatch(/note: left out 4000 synthetic \(generated sample\) decision\(s\)/);
    expect(tuned.stderr).toMatch(/MOE_INSUFFICIENT_DATA/);
    expect(tuned.code).toBe(2);
    expect(JSON.parse(tuned.stdout)).toMatchObject({ action: "insufficient", proposal: { traces: 0 } });
    expect(existsSync(join(cwd, ".moe-router/thresholds.json"))).toBe(false);
    // Asked for, the sample data does move a threshold (what happened silently before).
    const withSamples = JSON.parse((await runCli(["tune", "-d", "--json", "--include-synthetic"], cwd)).stdout);
    expect(withSamples.proposal.traces).toBe(4000);
    expect(withSamples.proposal.layers.some((l: { before: number; after: number }) => l.after !== l.before)).toBe(true);
  });

  it("analyze and report leave synthetic decisions out (also through the cache), and count them", async () => {
    const cwd = tempCwd();
    await runCli(["generate", "-n", "300", "--days", "1"], cwd);
    const store = ["--store", ".moe-router/sample-events.jsonl"];
    for (const pass of ["builds the cache", "reads the cache"]) {
      const left = await runCli(["analyze", "--json", ...store], cwd);
      expect(left.code, pass).toBe(0);
      expect(JSON.parse(left.stdout), pass).toMatchObject({ overall: { decisions: 0 }, syntheticExcluded: 300 });
      expect(left.stderr).toMatch(/left out 300 synthetic .*--include-synthetic/);
      const counted = JSON.parse((await runCli(["analyze", "--json", "--include-synthetic", ...store], cwd)).stdout);
      expect(counted, pass).toMatchObject({ overall: { decisions: 300 }, syntheticExcluded: 0 });
    }
    const text = await runCli(["analyze", ...store], cwd);
    expect(text.stdout).toContain("(300 synthetic sample decisions left out)");
  });

  it("analyze --by, dashboard and report leave them out too; --include-synthetic counts them", async () => {
    const cwd = tempCwd();
    await runCli(["generate", "-n", "200", "--days", "1"], cwd);
    const store = ["--store", ".moe-router/sample-events.jsonl"];
    const sum = (series: { buckets: { decisions: number }[] }) => series.buckets.reduce((total, bucket) => total + bucket.decisions, 0);
    expect(sum(JSON.parse((await runCli(["analyze", "--by", "hour", "--json", ...store], cwd)).stdout))).toBe(0);
    expect(sum(JSON.parse((await runCli(["analyze", "--by", "hour", "--json", "--include-synthetic", ...store], cwd)).stdout))).toBe(200);
    const dashboard = await runCli(["dashboard", ...store], cwd);
    expect(dashboard.code).toBe(0);
    expect(dashboard.stdout).toContain("(200 synthetic sample decisions left out)");
    expect((await runCli(["dashboard", "--include-synthetic", ...store], cwd)).stdout).not.toContain("synthetic sample decisions left out");
    expect((await runCli(["report", "--html", "left.html", ...store], cwd)).code).toBe(0);
    expect((await runCli(["report", "--html", "all.html", "--include-synthetic", ...store], cwd)).code).toBe(0);
    expect(readFileSync(join(cwd, "left.html"), "utf8")).not.toEqual(readFileSync(join(cwd, "all.html"), "utf8"));
  });

  it("train --from-log and learn never learn from sample data unless train is given --include-synthetic", async () => {
    const cwd = tempCwd();
    expect((await runCli(["generate", "-n", "300", "--days", "1", "--store", ".moe-router/events.jsonl"], cwd)).code).toBe(0);
    const refused = await runCli(["train", "--from-log"], cwd);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/MOE_INSUFFICIENT_DATA.*300 synthetic sample decisions left out \(--include-synthetic counts them\)/);
    const trained = await runCli(["train", "--from-log", "--include-synthetic", "--json"], cwd);
    expect(trained.code).toBe(0);
    // learn: the corrected sample outcomes are left out, a real correction is learned.
    const routed = JSON.parse((await runCli(["route", "Plan the team offsite"], cwd)).stdout) as { event_id: string };
    expect((await runCli(["outcome", routed.event_id, "--completed", "--corrected-to", "inventory-master"], cwd)).code).toBe(0);
    const learned = JSON.parse((await runCli(["learn", "--json"], cwd)).stdout) as { corrections: number; syntheticSkipped: number };
    expect(learned.corrections).toBe(1);
    expect(learned.syntheticSkipped).toBeGreaterThan(0);
    expect((await runCli(["learn"], cwd)).stdout).toMatch(/1 corrected outcome\(s\) in .* \(\d+ of generated sample decisions left out/);
  });
});
