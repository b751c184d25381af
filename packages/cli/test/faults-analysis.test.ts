/**
 * Fault suite, CLI readers: `analyze`, `analyze --json` and `tune -d` on logs with old lines
 * appended out of order and malformed records. They must count right, agree with one another
 * and never crash.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSampleRecords } from "@moe-router/tracker";
import { runCli, tempCwd } from "./support/io.js";
import { writeKeywordLog } from "./tune-support.js";
import { asReal } from "./support/tracking.js";

function projectWithLog(count: number, hours: number): { cwd: string; log: string } {
  const cwd = tempCwd("moe-cli-faults-");
  mkdirSync(join(cwd, ".moe-router"));
  const log = join(cwd, ".moe-router/events.jsonl");
  const records = asReal(generateSampleRecords({ count, seed: 5, days: hours / 24, end: new Date() })).filter((r) => r.record_type === "decision");
  writeFileSync(log, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return { cwd, log };
}

const oldLine = (days: number) =>
  JSON.stringify({
    schema_version: 1,
    record_type: "decision",
    event_id: `old-${days}`,
    timestamp: new Date(Date.now() - days * 86_400_000).toISOString(),
    task_description: "old",
    selected_master: "cicd-master",
    routing_layer: "keyword",
    confidence: 0.9,
    layer_attempts: [{ layer_name: "keyword", selected_master: "cicd-master", confidence: 0.9, success: true }],
  });

describe("faults: analyze and tune on logs out of timestamp order", () => {
  it("analyze -w 24 counts every recent decision of a 2,000-event log with a 3-day-old line appended", async () => {
    const { cwd, log } = projectWithLog(2_000, 12);
    appendFileSync(log, `${oldLine(3)}\n`);
    for (const extra of [[], ["--no-cache"]]) {
      const run = await runCli(["analyze", "-w", "24", "--json", ...extra], cwd);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).overall.decisions).toBe(2_000);
    }
  });

  it("tune -d -w 48 tunes from every recent decision, not from 0, with an old line appended", async () => {
    const cwd = tempCwd();
    const log = writeKeywordLog(cwd, { count: 400 });
    appendFileSync(log, `${oldLine(3)}\n`);
    const run = await runCli(["tune", "-d", "-w", "48"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/keyword\s+0\.850\s+0\.800\s+400/);
  });
});

describe("faults: malformed records and one skipped count", () => {
  it("analyze --json reports the same skipped counts as the stderr warning, and malformed layer_attempts never crash", async () => {
    const { cwd, log } = projectWithLog(300, 12);
    const bad = JSON.parse(oldLine(0.1));
    for (const attempts of [[null], [1, 2], ["keyword"]]) appendFileSync(log, `${JSON.stringify({ ...bad, event_id: `bad-${JSON.stringify(attempts)}`, layer_attempts: attempts })}\n`);
    appendFileSync(log, "{torn\n");
    for (const extra of [[], ["--no-cache"]]) {
      const run = await runCli(["analyze", "--json", ...extra], cwd);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.dataIssues).toEqual({ tornLines: 1, invalidRecords: 3, invalidFields: 0, duplicates: 0 });
      expect(run.stderr).toMatch(/skipped 1 unreadable line\(s\).*3 malformed or non-routing record\(s\)/);
      const text = await runCli(["analyze", ...extra], cwd);
      expect(text.code).toBe(0);
      expect(text.stderr).toBe(run.stderr);
    }
    const report = await runCli(["report", "--html", join(cwd, "report.html")], cwd);
    expect(report.code).toBe(0);
  });

  it("tune -d skips a decision whose layer_attempts hold null, numbers or strings", async () => {
    const cwd = tempCwd();
    const log = writeKeywordLog(cwd, { count: 400 });
    const bad = JSON.parse(oldLine(0.01));
    for (const attempts of [[null], [7], ["keyword"]]) appendFileSync(log, `${JSON.stringify({ ...bad, event_id: `bad-${JSON.stringify(attempts)}`, layer_attempts: attempts })}\n`);
    const run = await runCli(["tune", "-d"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/keyword\s+0\.850\s+0\.800\s+400/);
  });
});
