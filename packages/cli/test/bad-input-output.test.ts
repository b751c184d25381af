import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
// Any control character a terminal acts on (runCli is not a TTY, so the CLI adds no colour of its own).

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A project whose config names one local layer returning `details` that JSON cannot hold. */
function projectWithHostileLayer(): string {
  const cwd = tempCwd("moe-cli-details-");
  writeFileSync(
    join(cwd, "layer.mjs"),
    `
export function createLayer() {
  return { name: "weird", route() {
    const details = { big: 10n, list: [1n] };
    details.self = details;
    Object.defineProperty(details, "boom", { enumerable: true, get() { throw new Error("getter"); } });
    return { expert: "cicd-master", confidence: 0.9, details };
  } };
}
`,
  );
  writeFileSync(join(cwd, "moe-router.json"), JSON.stringify({ layers: [{ package: "./layer.mjs", threshold: 0.5 }] }));
  return cwd;
}

/** A log whose names (experts, layers, reasons, experiment, correction) hold terminal escapes. */
function projectWithHostileLog(): string {
  const cwd = tempCwd("moe-cli-hostile-");
  mkdirSync(join(cwd, ".moe-router"));
  const now = Date.now();
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) {
    const id = `e${i}`;
    const timestamp = new Date(now - (6 - i) * 60_000).toISOString();
    lines.push(
      JSON.stringify({
        schema_version: 1,
        record_type: "decision",
        event_id: id,
        timestamp,
        task_description: `clear\x1b[2J\x1b[H task ${i}`,
        selected_master: i % 2 ? "sec\x1b]52;c;ZXZpbA==\x07urity" : "coordinator-master",
        routing_layer: i % 2 ? "kw\x1b]0;owned\x07" : "clarification",
        confidence: 0.9,
        layer_attempts: [{ layer_name: "kw\x1b]0;owned\x07", selected_master: "sec\x1b]52;c;ZXZpbA==\x07urity", confidence: 0.9, threshold: 0.5, success: i % 2 === 1, latency_ms: 0.1 }],
        ...(i % 2 ? {} : { clarification: { reason: "odd\u009b2J\u202e" } }),
        ab_test: { experiment: "exp\x1bc", variant: i < 3 ? "control" : "candidate" },
        total_latency_ms: 0.2,
      }),
    );
    lines.push(JSON.stringify({ schema_version: 1, record_type: "outcome", event_id: id, timestamp, outcome: { task_completed: true, was_correct_master: false, user_corrected_to: "dev\u009b31m" } }));
  }
  writeFileSync(join(cwd, ".moe-router/events.jsonl"), `${lines.join("\n")}\n`);
  return cwd;
}

describe("bad input: layer details that JSON cannot hold (issue 10: route exited 70)", () => {
  it("route prints the decision with markers in place of the circular, BigInt and throwing-getter details, and logs it", async () => {
    const cwd = projectWithHostileLayer();
    const run = await runCli(["route", "deploy it", "--config", "moe-router.json"], cwd);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ master: "cicd-master", layer: "weird" });
    expect(out.attempts[0].details).toEqual({ big: "10", list: ["1"], self: "[Circular]", boom: "[Unreadable: getter]" });
    const record = JSON.parse(readFileSync(join(cwd, ".moe-router/events.jsonl"), "utf8"));
    expect(record).toMatchObject({ event_id: out.event_id, layer_attempts: [{ metadata: { big: "10", self: "[Circular]" } }] });
  });
});

describe("bad input: names from the log printed to a terminal (issue 10: printed raw)", () => {
  const cwd = projectWithHostileLog();

  it("analyze shows every control character as a visible escape", async () => {
    const run = await runCli(["analyze", "--no-cache"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout).toContain("sec\\x1b]52;c;ZXZpbA==\\x07urity");
    expect(run.stdout).toContain("kw\\x1b]0;owned\\x07");
    expect(run.stdout).toContain("dev\\x9b31m");
    expect(run.stdout).toContain("exp\\x1bc");
  });

  it("dashboard too", async () => {
    const run = await runCli(["dashboard", "--no-cache"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout).toContain("kw\\x1b]0;owned\\x07");
  });

  it("analyze --json keeps the names exact but writes C1 and bidi characters as \\u escapes", async () => {
    const run = await runCli(["analyze", "--json", "--no-cache"], cwd);
    expect(run.stdout).not.toMatch(CONTROL);
    const report = JSON.parse(run.stdout);
    expect(report.corrections.matrix["sec\x1b]52;c;ZXZpbA==\x07urity"]).toEqual({ "dev\u009b31m": 3 });
    expect(Object.keys(report.clarification.reasons)).toEqual(["odd\u009b2J\u202e"]);
  });

  it("outcome prints the logged description safely, and error messages quoting input are neutralised", async () => {
    const ok = await runCli(["outcome", "e1", "--completed", "--correct"], cwd);
    expect(ok.code).toBe(0);
    expect(ok.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(ok.stdout).task_description).toBe("clear\x1b[2J\x1b[H task 1");
    const missing = await runCli(["outcome", "evt\x1b[2J\u009b", "--completed"], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toMatch(CONTROL);
    expect(missing.stderr).toMatch(/^error \[MOE_NOT_FOUND\]: No decision with event id "evt\\x1b\[2J\\x9b"/);
  });
});

describe("bad input: a failed report write (issue 10: left a 0-byte HTML file)", () => {
  it("leaves the previous report whole and no partial or temporary file", () => {
    const cwd = projectWithHostileLog();
    const html = join(cwd, "report.html");
    writeFileSync(html, "previous report");
    // A 2 KiB file-size limit: the report (> 2 KiB) cannot be written, as on a full disk.
    const child = spawnSync(
      "bash",
      ["-c", `ulimit -f 2; exec "${process.execPath}" --import tsx --conditions=moe-router-source src/bin.ts report --html "${html}" --store "${join(cwd, ".moe-router/events.jsonl")}" --no-cache`],
      { cwd: packageDir, encoding: "utf8" },
    );
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/error \[MOE_INVALID_ARGUMENT\]: Cannot write .*report\.html: EFBIG/);
    expect(readFileSync(html, "utf8")).toBe("previous report");
    expect(readdirSync(cwd).filter((name) => name.startsWith("report"))).toEqual(["report.html"]);
  });
});

describe("bad input: thresholdsFile naming an unrelated file (issue 10: tune replaced it)", () => {
  it("tune refuses with MOE_FOREIGN_FILE and leaves the file as it was", async () => {
    const cwd = projectWithHostileLog();
    writeFileSync(join(cwd, "precious.txt"), "precious data\n");
    writeFileSync(join(cwd, "moe-router.json"), JSON.stringify({ layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }], thresholdsFile: "precious.txt" }));
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const confidence = 0.3 + (0.7 * i) / 399;
      const timestamp = new Date(Date.now() - 60_000).toISOString();
      lines.push(
        JSON.stringify({
          schema_version: 1,
          record_type: "decision",
          event_id: `k${i}`,
          timestamp,
          task_description: "t",
          selected_master: "cicd-master",
          routing_layer: confidence >= 0.85 ? "keyword" : "clarification",
          confidence,
          layer_attempts: [{ layer_name: "keyword", selected_master: "cicd-master", confidence, threshold: 0.85, success: confidence >= 0.85 }],
          shadow: true,
        }),
      );
      lines.push(JSON.stringify({ schema_version: 1, record_type: "outcome", event_id: `k${i}`, timestamp, outcome: { task_completed: true, was_correct_master: confidence >= 0.6 } }));
    }
    writeFileSync(join(cwd, "log.jsonl"), `${lines.join("\n")}\n`);
    const run = await runCli(["tune", "--config", "moe-router.json", "--store", "log.jsonl"], cwd);
    expect(run.stderr).toMatch(/error \[MOE_FOREIGN_FILE\]: .*precious\.txt exists and is not a moe-router thresholds file, so it was left untouched/);
    expect(run.code).toBe(2);
    expect(readFileSync(join(cwd, "precious.txt"), "utf8")).toBe("precious data\n");
    expect(existsSync(join(cwd, "precious.txt.history.jsonl"))).toBe(false);
  });
});
