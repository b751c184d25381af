import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSampleRecords } from "@moe-router/tracker";
import { runCli, tempCwd } from "./support/io.js";
import { asReal } from "./support/tracking.js";

const END = new Date("2026-11-20T12:30:00.000Z");

function projectWithLog(days = 2, count = 600): string {
  const cwd = tempCwd("moe-cli-series-");
  mkdirSync(join(cwd, ".moe-router"));
  const lines = asReal(generateSampleRecords({ count, seed: 5, days, end: END })).map((r) => JSON.stringify(r));
  writeFileSync(join(cwd, ".moe-router/events.jsonl"), `${lines.join("\n")}\n`);
  return cwd;
}

describe("moe-router analyze --by", () => {
  const cwd = projectWithLog();

  it("prints the time series object with --json, one bucket per day of the log", async () => {
    const run = await runCli(["analyze", "--by", "day", "--json"], cwd);
    expect(run.code).toBe(0);
    const series = JSON.parse(run.stdout);
    expect(series.by).toBe("day");
    expect(series.buckets.map((b: { start: string }) => b.start)).toEqual(["2026-11-18T00:00:00.000Z", "2026-11-19T00:00:00.000Z", "2026-11-20T00:00:00.000Z"]);
    expect(series.buckets.reduce((sum: number, b: { decisions: number }) => sum + b.decisions, 0)).toBe(600);
    expect(series.layers).toEqual(["keyword", "semantic", "rag", "neural"]);
    expect(Object.keys(series.buckets[0].layers.keyword)).toEqual(["attempts", "accepted", "acceptanceRate", "coverage", "errors", "errorRate", "accuracy", "latencyMs"]);
  });

  it("prints sparklines and a row per bucket as text, the layer filter applied", async () => {
    const run = await runCli(["analyze", "--by", "hour", "-l", "semantic", "--no-cache"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Routing health by hour");
    expect(run.stdout).toMatch(/semantic acc +[▁-█ ]+/);
    expect(run.stdout).not.toContain("keyword acc");
    expect(run.stdout.match(/^2026-11-\d\dT\d\d:00Z/gm)!.length).toBe(49);
  });

  it("says which units exist", async () => {
    const run = await runCli(["analyze", "--by", "week"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error [MOE_INVALID_ARGUMENT]: --by must be one of minute, hour, day, auto; got "week"');
  });

  it("refuses a range needing too many minute buckets, saying what to use", async () => {
    // Five days by minute: 7,200 buckets, over the limit of 5,000.
    const run = await runCli(["analyze", "--by", "minute"], projectWithLog(5, 50));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error \[MOE_INVALID_CONFIG\]: .*coarser --by/);
  });

  it("puts a Trends section in the dashboard and the HTML report", async () => {
    const dashboard = await runCli(["dashboard", "-w", "72"], cwd);
    expect(dashboard.code).toBe(0);
    expect(dashboard.stdout).toMatch(/Trends\n {2}by hour/);
    const report = await runCli(["report", "--html", "r.html", "--by", "hour"], cwd);
    expect(report.code).toBe(0);
    const html = readFileSync(join(cwd, "r.html"), "utf8");
    expect(html).toContain('<section id="trends">');
    expect(html).toContain("49 buckets by hour");
  });
});
