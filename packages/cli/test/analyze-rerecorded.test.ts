/**
 * `moe-router analyze` says how many outcomes were re-recorded (issue 13): recorded twice or
 * three times for one decision, every record kept in the log, the latest in force.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/io.js";
import { logRecords, trackedProject } from "./support/tracking.js";

async function routed(cwd: string, description: string): Promise<string> {
  const run = await runCli(["route", description, "--config", "moe.json"], cwd);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { event_id: string }).event_id;
}

async function outcome(cwd: string, eventId: string, ...flags: string[]): Promise<void> {
  const run = await runCli(["outcome", eventId, ...flags, "--config", "moe.json"], cwd);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
}

describe("moe-router analyze: re-recorded outcomes", () => {
  it("counts them in the text and in --json; the latest outcome wins; the log keeps every record", async () => {
    const cwd = trackedProject();
    const deploy = await routed(cwd, "Deploy API to production");
    const auth = await routed(cwd, "Fix the auth token refresh");
    const once = await routed(cwd, "Deploy the web app to staging");
    // Two outcomes, the later one corrected; three outcomes, the last one completed and right.
    await outcome(cwd, deploy, "--completed", "--correct");
    await outcome(cwd, deploy, "--failed", "--corrected-to", "development-master");
    await outcome(cwd, auth, "--failed", "--corrected-to", "development-master");
    await outcome(cwd, auth, "--failed");
    await outcome(cwd, auth, "--completed", "--correct");
    await outcome(cwd, once, "--completed");
    expect(logRecords(join(cwd, ".moe-router/events.jsonl")).filter((r) => r.record_type === "outcome")).toHaveLength(6);

    for (const cache of [[], ["--no-cache"]]) {
      const json = await runCli(["analyze", "--json", ...cache], cwd);
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout);
      expect(report.reRecordedOutcomes).toBe(1 + 2);
      expect(report.overall.withOutcome).toBe(3);
      // Only deploy's latest outcome is a correction; auth's correction was superseded.
      expect(report.corrections.total).toBe(1);
      expect(report.corrections.matrix).toEqual({ "cicd-master": { "development-master": 1 } });
      expect(report.overall.completed).toBe(2);

      const text = await runCli(["analyze", ...cache], cwd);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/Outcomes\s+3 \(100(\.0)? ?% coverage\).* · 3 re-recorded \(latest wins\)/);
    }
  });

  it("says nothing of re-recorded outcomes when there are none", async () => {
    const cwd = trackedProject();
    await outcome(cwd, await routed(cwd, "Deploy API to production"), "--completed", "--correct");
    const report = JSON.parse((await runCli(["analyze", "--json"], cwd)).stdout);
    expect(report.reRecordedOutcomes).toBe(0);
    expect((await runCli(["analyze"], cwd)).stdout).not.toMatch(/re-recorded/);
  });
});
