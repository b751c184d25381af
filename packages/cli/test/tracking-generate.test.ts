import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";
import { logRecords, trackedProject } from "./support/tracking.js";

describe("moe-router generate", () => {
  it("writes N seeded decisions with outcomes to the store and prints a summary", async () => {
    const cwd = tempCwd();
    const run = await runCli(["generate", "-n", "300", "--seed", "9", "--days", "7", "--end", "2026-11-20T00:00:00Z", "--store", "sample.jsonl"], cwd);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { decisions: number; outcomes: number; store: string };
    expect(summary).toMatchObject({ decisions: 300, seed: 9, days: 7, end: "2026-11-20T00:00:00.000Z", store: "sample.jsonl" });
    const records = logRecords(join(cwd, "sample.jsonl"));
    expect(records.filter((r) => r.record_type === "decision")).toHaveLength(300);
    expect(records.filter((r) => r.record_type === "outcome")).toHaveLength(summary.outcomes);
    expect(summary.outcomes).toBeGreaterThan(150);
    expect(run.stderr).toContain("generate [");
  });

  it("gives the same file for the same seed and end", async () => {
    const cwd = tempCwd();
    const args = ["generate", "-n", "120", "--seed", "4", "--end", "2026-11-20T00:00:00Z"];
    await runCli([...args, "--store", "a.jsonl"], cwd);
    await runCli([...args, "--store", "b.jsonl"], cwd);
    expect(readFileSync(join(cwd, "a.jsonl"), "utf8")).toBe(readFileSync(join(cwd, "b.jsonl"), "utf8"));
  });

  it("writes to its own log by default, never the config's store, every record marked synthetic", async () => {
    const cwd = trackedProject();
    const run = await runCli(["generate", "-n", "10", "--outcome-share", "0", "--config", "moe.json"], cwd);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ store: ".moe-router/sample-events.jsonl", synthetic: true });
    const records = logRecords(join(cwd, ".moe-router/sample-events.jsonl"));
    expect(records).toHaveLength(10);
    expect(records.every((record) => record.synthetic === true)).toBe(true);
    expect(existsSync(join(cwd, ".moe-router/events.jsonl"))).toBe(false);
  });

  it.each([
    [[], /-n N/],
    [["-n", "0"], /-n\/--count must be a whole number of events from 1 to 100000000/],
    [["-n", "5", "--end", "someday"], /--end must be a date/],
    [["-n", "5", "--outcome-share", "3"], /--outcome-share/],
  ])("rejects %j", async (flags, message) => {
    const run = await runCli(["generate", ...flags], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
