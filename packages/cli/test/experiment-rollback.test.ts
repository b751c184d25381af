/** `tune --rollback [N]`, `tune --history` and `experiment status|stop|promote` (issue 13). */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/io.js";
import { trackedProject } from "./support/tracking.js";

const started = new Date(Date.now() - 3_600_000).toISOString();
const experiment = { name: "lower-kw", share: 0.5, candidate_thresholds: { keyword: 0.6 }, started_at: started };

/** A project whose thresholds history holds an apply and an experiment start, as `tune` writes them. */
function project(): string {
  const cwd = trackedProject();
  mkdirSync(join(cwd, ".moe-router"), { recursive: true });
  const applied = { version: 1, updated_at: started, thresholds: { keyword: 0.8 } };
  const running = { version: 1, updated_at: started, thresholds: { keyword: 0.8 }, experiment };
  writeFileSync(join(cwd, ".moe-router/thresholds.json"), JSON.stringify(running));
  writeFileSync(
    join(cwd, ".moe-router/thresholds.history.jsonl"),
    [
      { time: started, action: "apply", before: { keyword: 0.85 }, after: { keyword: 0.8 }, reason: "tune", samples: { keyword: 500 }, document: applied },
      // An entry from before the history recorded documents: rebuilt from before + experiment.
      { time: started, action: "experiment", before: { keyword: 0.8 }, after: { keyword: 0.6 }, reason: "tune", samples: { keyword: 500 }, experiment },
    ]
      .map((entry) => `${JSON.stringify(entry)}\n`)
      .join(""),
  );
  return cwd;
}

const json = (run: { stdout: string }) => JSON.parse(run.stdout);
const file = (cwd: string) => JSON.parse(readFileSync(join(cwd, ".moe-router/thresholds.json"), "utf8"));

describe("moe-router experiment and tune --rollback", () => {
  it("status shows control vs candidate with what was measured; promote, rollback, stop and rollback N move the thresholds, each in the history", async () => {
    const cwd = project();
    const config = ["--config", "moe.json"];
    // Route tasks: the experiment splits them between the variants.
    for (let i = 0; i < 16; i++) {
      const routed = json(await runCli(["route", `deploy service ${i}`, "--task-id", `t-${i}`, ...config], cwd));
      expect((await runCli(["outcome", routed.event_id, "--completed", "--correct", ...config], cwd)).code).toBe(0);
    }
    const status = await runCli(["experiment", "status", "--json", ...config], cwd);
    expect(status.code).toBe(0);
    const measured = json(status);
    expect(measured).toMatchObject({ running: true, name: "lower-kw", share: 0.5, control: { keyword: 0.8 }, candidate: { keyword: 0.6 } });
    expect(measured.measured.control.decisions + measured.measured.candidate.decisions).toBe(16);
    expect(measured.measured.control.accuracy.judged + measured.measured.candidate.accuracy.judged).toBe(16);
    const text = await runCli(["experiment", "status", ...config], cwd);
    expect(text.stdout).toMatch(/Experiment "lower-kw" since .*50\.0% of tasks/);
    expect(text.stdout).toMatch(/control +\d+ +\d+ +100\.0%/);

    const promoted = await runCli(["experiment", "promote", ...config], cwd);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toContain('promoted experiment "lower-kw"');
    expect(file(cwd)).toMatchObject({ thresholds: { keyword: 0.6 } });
    expect(file(cwd).experiment).toBeUndefined();
    expect(json(await runCli(["experiment", "status", "--json", ...config], cwd))).toMatchObject({ running: false });

    // Undo the promotion: the experiment runs again (rebuilt from the old entry).
    const undone = await runCli(["tune", "--rollback", ...config], cwd);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toMatch(/Rolled back \(rollback to entry 2 \(experiment/);
    expect(file(cwd)).toMatchObject({ thresholds: { keyword: 0.8 }, experiment: { name: "lower-kw" } });
    expect(json(await runCli(["thresholds", "--json", ...config], cwd))).toMatchObject({ experiment: { name: "lower-kw", share: 0.5 } });

    expect((await runCli(["experiment", "stop", ...config], cwd)).code).toBe(0);
    expect(file(cwd).experiment).toBeUndefined();
    expect(file(cwd).thresholds).toEqual({ keyword: 0.8 });

    expect(json(await runCli(["tune", "--rollback", "0", "--json", ...config], cwd))).toMatchObject({ action: "rollback", restored: 0, file: { thresholds: {} } });
    expect(json(await runCli(["thresholds", "--json", ...config], cwd)).layers[0]).toMatchObject({ layer: "keyword", threshold: 0.85, source: "config" });
    expect((await runCli(["tune", "--rollback=1", ...config], cwd)).code).toBe(0);
    expect(file(cwd).thresholds).toEqual({ keyword: 0.8 });

    const history = json(await runCli(["tune", "--history", "--json", ...config], cwd)).history as { number: number; action: string; restored?: number }[];
    expect(history.map((e) => [e.number, e.action, e.restored])).toEqual([
      [1, "apply", undefined],
      [2, "experiment", undefined],
      [3, "promote", undefined],
      [4, "rollback", 2],
      [5, "stop", undefined],
      [6, "rollback", 0],
      [7, "rollback", 1],
    ]);
    expect((await runCli(["tune", "--history", ...config], cwd)).stdout).toMatch(/ +7 +\S+ +rollback +keyword 0\.800/);
  });

  it("says what is wrong, exit 2: no experiment, an unknown action, a history entry that does not exist", async () => {
    const cwd = project();
    const config = ["--config", "moe.json"];
    expect((await runCli(["experiment", "stop", ...config], cwd)).code).toBe(0);
    const none = await runCli(["experiment", "promote", ...config], cwd);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/error \[MOE_NOT_FOUND\]: No experiment is running .*tune --experiment NAME/);
    const unknown = await runCli(["experiment", "restart", ...config], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/MOE_INVALID_ARGUMENT.*status, stop or promote; got "restart"/);
    const far = await runCli(["tune", "--rollback", "99", ...config], cwd);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/MOE_INVALID_ARGUMENT.*entries 1 to 3/);
    expect((await runCli(["tune", "--rollback=x", ...config], cwd)).stderr).toMatch(/--rollback takes a history entry number/);
  });
});
