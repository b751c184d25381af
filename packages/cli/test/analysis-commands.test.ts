import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSampleRecords } from "@moe-router/tracker";
import type { CliIO } from "../src/io.js";
import { jsonlPath } from "../src/commands/analyze.js";
import { runDashboard } from "../src/commands/dashboard.js";
import { runCli, tempCwd } from "./support/io.js";
import { asReal } from "./support/tracking.js";

/** A working directory with a sample log at .moe-router/events.jsonl (the default store). */
function projectWithLog(count = 400): string {
  const cwd = tempCwd("moe-cli-analysis-");
  mkdirSync(join(cwd, ".moe-router"));
  const lines = asReal(generateSampleRecords({ count, seed: 3, days: 2, end: new Date() })).map((r) => JSON.stringify(r));
  writeFileSync(join(cwd, ".moe-router/events.jsonl"), `${lines.join("\n")}\n`);
  return cwd;
}

describe("moe-router analyze", () => {
  const cwd = projectWithLog();

  it("prints the report object with --json from the default store", async () => {
    const run = await runCli(["analyze", "--json"], cwd);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.overall.decisions).toBe(400);
    expect(report.layers.map((l: { layer: string }) => l.layer)).toEqual(["keyword", "semantic", "rag", "neural"]);
    expect(report.experiments[0].experiment).toBe("thresholds-v2");
  });

  it("filters by window and layer", async () => {
    const all = JSON.parse((await runCli(["analyze", "--json"], cwd)).stdout);
    const recent = JSON.parse((await runCli(["analyze", "-w", "12", "-l", "semantic", "--json"], cwd)).stdout);
    expect(recent.window.hours).toBe(12);
    expect(recent.layerFilter).toBe("semantic");
    expect(recent.layers.map((l: { layer: string }) => l.layer)).toEqual(["semantic"]);
    expect(recent.overall.decisions).toBeGreaterThan(0);
    expect(recent.overall.decisions).toBeLessThan(all.overall.decisions);
  });

  it("prints the human report", async () => {
    const run = await runCli(["analyze", "--store", ".moe-router/events.jsonl", "--workers", "1"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Routing performance analysis");
    expect(run.stdout).toMatch(/keyword\s+400\s+\d+/);
    expect(run.stdout).toContain("A/B experiments");
    expect(run.stdout).not.toContain("\x1b[");
  });

  it("says how to fix a missing log or a bad window", async () => {
    const empty = tempCwd();
    const missing = await runCli(["analyze"], empty);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error \[MOE_NOT_FOUND\]: No event log at .*events\.jsonl\. Route some tasks first/);
    const bad = await runCli(["analyze", "-w", "0"], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error [MOE_INVALID_ARGUMENT]: -w/--window must be a number of hours greater than 0");
    const unknown = await runCli(["analyze", "--windw", "3"], cwd);
    expect(unknown.stderr).toContain("MOE_UNKNOWN_OPTION");
  });

  it("reads the JSONL path out of a store spec", () => {
    expect(jsonlPath("jsonl:logs/e.jsonl?rotate=monthly", "/w")).toBe("/w/logs/e.jsonl");
    expect(jsonlPath("/var/log/e.jsonl", "/w")).toBe("/var/log/e.jsonl");
    expect(jsonlPath("postgres://u@h/db", "/w")).toBeUndefined();
  });
});

describe("moe-router dashboard", () => {
  const cwd = projectWithLog(200);

  it("draws one snapshot of the last 24 hours", async () => {
    const run = await runCli(["dashboard"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("moe-router dashboard");
    expect(run.stdout).toContain("last 24 h");
    expect(run.stdout).not.toContain("\x1b[H");
  });

  it("redraws in place until stopped (--live)", async () => {
    let output = "";
    const io: CliIO = { stdout: (t) => void (output += t), stderr: () => {}, cwd, env: {}, isTTY: true };
    const controller = new AbortController();
    const drawn = runDashboard({ live: true, intervalSeconds: 0.05, windowHours: 48 }, io, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 400));
    controller.abort();
    const frames = await drawn;
    expect(frames).toBeGreaterThanOrEqual(2);
    expect(output.split("\x1b[H\x1b[J").length - 1).toBe(frames);
    expect(output.startsWith("\x1b[?25l")).toBe(true);
    expect(output.endsWith("\x1b[?25h")).toBe(true);
    expect(output).toContain("Ctrl-C to quit");
  });

  it("rejects --interval without --live", async () => {
    const run = await runCli(["dashboard", "--interval", "5"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--interval only applies with --live");
  });
});

describe("moe-router report", () => {
  it("writes a self-contained HTML report", async () => {
    const cwd = projectWithLog(300);
    const run = await runCli(["report", "--html", "out/report.html", "-w", "72", "--title", "Weekly <routing>"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Wrote .*out\/report\.html \(300 decisions from \.moe-router\/events\.jsonl\)/);
    const html = readFileSync(join(cwd, "out/report.html"), "utf8");
    expect(html).toContain("<title>Weekly &lt;routing&gt;</title>");
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(5);
    expect(html).not.toMatch(/<script/i);
  });

  it("requires --html", async () => {
    const cwd = projectWithLog(10);
    const run = await runCli(["report"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Name the output file with --html");
    expect(existsSync(join(cwd, "report.html"))).toBe(false);
  });
});
