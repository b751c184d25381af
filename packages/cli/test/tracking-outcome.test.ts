import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/io.js";
import { logRecords, trackedProject } from "./support/tracking.js";

async function routed(cwd: string, description = "Deploy API to production"): Promise<string> {
  const run = await runCli(["route", description, "--config", "moe.json"], cwd);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { event_id: string }).event_id;
}

describe("moe-router outcome", () => {
  it("appends the outcome as its own record, joined by event id", async () => {
    const cwd = trackedProject();
    const eventId = await routed(cwd);
    const run = await runCli(["outcome", eventId, "--completed", "--correct", "--minutes", "45", "--quality", "0.95", "--config", "moe.json"], cwd);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      event_id: eventId,
      master: "cicd-master",
      layer: "keyword",
      outcome: { task_completed: true, task_status: "completed", was_correct_master: true, completion_time_minutes: 45, quality_score: 0.95 },
    });
    const records = logRecords(join(cwd, ".moe-router/events.jsonl"));
    expect(records.map((r) => r.record_type)).toEqual(["decision", "outcome"]);
    expect(records[1]).toMatchObject({ event_id: eventId, outcome: { was_correct_master: true } });
  });

  it("records a failed task corrected to another expert", async () => {
    const cwd = trackedProject();
    const eventId = await routed(cwd, "Fix the auth token refresh");
    const run = await runCli(["outcome", eventId, "--failed", "--corrected-to", "development-master", "--config", "moe.json"], cwd);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).outcome).toEqual({ task_completed: false, task_status: "failed", was_correct_master: false, user_corrected_to: "development-master" });
  });

  it("works on a store named with --store, from a later run", async () => {
    const cwd = trackedProject({ store: "logs/events.jsonl" });
    const eventId = await routed(cwd);
    const run = await runCli(["outcome", eventId, "--completed", "--store", "jsonl:logs/events.jsonl"], cwd);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toMatchObject({ event_id: eventId, store: "jsonl:logs/events.jsonl" });
  });

  it("fails with a coded error for an unknown event id, naming the store", async () => {
    const cwd = trackedProject();
    await routed(cwd);
    const run = await runCli(["outcome", "no-such-event", "--completed", "--config", "moe.json"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error \[MOE_NOT_FOUND\]: No decision with event id "no-such-event" in .*events\.jsonl/);
  });

  it.each([
    [["--completed", "--failed"], "MOE_INVALID_ARGUMENT", /not both/],
    [[], "MOE_INVALID_ARGUMENT", /--completed or --failed/],
    [["--completed", "--correct", "--corrected-to", "security-master"], "MOE_INVALID_ARGUMENT", /not both/],
    [["--completed", "--quality", "1.5"], "MOE_INVALID_ARGUMENT", /--quality must be a quality score from 0 to 1/],
    [["--completed", "--minutes", "soon"], "MOE_INVALID_ARGUMENT", /--minutes/],
    [["--completed", "--corrected-to", "chef-master"], "MOE_INVALID_CONFIG", /Known experts/],
    [["--completed", "--corrected-to", "cicd-master"], "MOE_INVALID_CONFIG", /another expert/],
    [["--completed", "--qualty", "1"], "MOE_UNKNOWN_OPTION", /qualty/],
  ])("rejects %j with %s", async (flags, code, message) => {
    const cwd = trackedProject();
    const eventId = await routed(cwd);
    const run = await runCli(["outcome", eventId, ...flags, "--config", "moe.json"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error [${code}]`);
    expect(run.stderr).toMatch(message);
    expect(logRecords(join(cwd, ".moe-router/events.jsonl")).filter((r) => r.record_type === "outcome")).toEqual([]);
  });

  it("asks for the event id when none is given", async () => {
    const run = await runCli(["outcome", "--completed"], trackedProject());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No event id given/);
  });
});
