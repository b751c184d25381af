import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/io.js";
import { logRecords, trackedProject } from "./support/tracking.js";

describe("moe-router route: tracking", () => {
  it("records each decision, with its attempts, under the event id it prints", async () => {
    const cwd = trackedProject();
    const run = await runCli(["route", "Deploy API to production", "--task-id", "T-1", "--priority", "high", "--config", "moe.json"], cwd);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { event_id: string; master: string };
    const records = logRecords(join(cwd, ".moe-router/events.jsonl"));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      record_type: "decision",
      event_id: printed.event_id,
      task_id: "T-1",
      task_metadata: { priority: "high" },
      selected_master: "cicd-master",
      routing_layer: "keyword",
      layer_attempts: [{ layer_name: "keyword", selected_master: "cicd-master", success: true, metadata: { matched_keywords: ["deploy"] } }],
    });
  });

  it("records nothing with --no-track or when the config disables tracking", async () => {
    const cwd = trackedProject();
    expect((await runCli(["route", "Deploy API", "--config", "moe.json", "--no-track"], cwd)).code).toBe(0);
    expect(existsSync(join(cwd, ".moe-router/events.jsonl"))).toBe(false);
    const off = trackedProject({ enabled: false });
    expect((await runCli(["route", "Deploy API", "--config", "moe.json"], off)).code).toBe(0);
    expect(existsSync(join(off, ".moe-router/events.jsonl"))).toBe(false);
  });

  it("still routes when the store cannot be written: a warning on stderr, exit 0", async () => {
    const cwd = trackedProject({ store: "blocked/events.jsonl" });
    writeFileSync(join(cwd, "blocked"), "a file where the log directory should be");
    const run = await runCli(["route", "Deploy API to production", "--config", "moe.json"], cwd);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ master: "cicd-master" });
    expect(run.stderr).toMatch(/^warning \[MOE_STORE_FAILED\]: .*blocked/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("still routes when the store cannot be opened at all", async () => {
    const cwd = trackedProject({ store: "postgres://nobody@127.0.0.1:1/moe" });
    const run = await runCli(["route", "Deploy API to production", "--config", "moe.json"], cwd);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ master: "cicd-master" });
    expect(run.stderr).toMatch(/^warning \[MOE_STORE_FAILED\]: .*Tracking is off for this run/);
  });

  it("writes to the default .moe-router/events.jsonl when the config names no store", async () => {
    const cwd = trackedProject();
    const config = JSON.parse(readFileSync(join(cwd, "moe.json"), "utf8")) as Record<string, unknown>;
    delete config.tracking;
    writeFileSync(join(cwd, "untracked-config.json"), JSON.stringify(config));
    const run = await runCli(["route", "Deploy API", "--config", "untracked-config.json"], cwd);
    expect(run.stderr).toBe("");
    expect(logRecords(join(cwd, ".moe-router/events.jsonl"))).toHaveLength(1);
  });
});
