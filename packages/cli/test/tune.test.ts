import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";
import { writeKeywordLog } from "./tune-support.js";

const thresholdsPath = (cwd: string) => join(cwd, ".moe-router", "thresholds.json");
const historyPath = (cwd: string) => join(cwd, ".moe-router", "thresholds.history.jsonl");

async function routeThreshold(cwd: string): Promise<{ threshold: number; stderr: string; out: Record<string, unknown> }> {
  const run = await runCli(["route", "Deploy API to production", "--no-track"], cwd);
  expect(run.code).toBe(0);
  const out = JSON.parse(run.stdout) as { attempts: { threshold: number }[] };
  return { threshold: out.attempts[0]!.threshold, stderr: run.stderr, out };
}

describe("moe-router tune", () => {
  it("-d prints the before/after table and writes nothing", async () => {
    const cwd = tempCwd();
    const log = writeKeywordLog(cwd, { count: 400 });
    const logMtime = statSync(log).mtimeMs;
    const run = await runCli(["tune", "-d"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/keyword\s+0\.850\s+0\.800\s+400/);
    expect(run.stdout).toMatch(/accuracy \(routed\)/);
    expect(run.stdout).toMatch(/clarification rate/);
    expect(run.stdout).toMatch(/Dry run: nothing written/);
    expect(existsSync(thresholdsPath(cwd))).toBe(false);
    expect(existsSync(historyPath(cwd))).toBe(false);
    expect(statSync(log).mtimeMs).toBe(logMtime);
  });

  it("applies: writes the thresholds file and history, and routing uses the new threshold", async () => {
    const cwd = tempCwd();
    writeKeywordLog(cwd, { count: 400 });
    const run = await runCli(["tune"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Applied: wrote/);
    const file = JSON.parse(readFileSync(thresholdsPath(cwd), "utf8"));
    expect(file).toMatchObject({ version: 1, thresholds: { keyword: 0.8 } });
    const history = readFileSync(historyPath(cwd), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: "apply", before: { keyword: 0.85 }, after: { keyword: 0.8 }, samples: { keyword: 400 } });
    expect((await routeThreshold(cwd)).threshold).toBe(0.8);
    // A second run starts from the applied threshold and moves one more step.
    await runCli(["tune"], cwd);
    // (The joint search keeps the threshold nearest the current one among equally good ones: 0.751 accepts what 0.75 does.)
    expect(JSON.parse(readFileSync(thresholdsPath(cwd), "utf8")).thresholds.keyword).toBeCloseTo(0.75, 2);
    expect(readFileSync(historyPath(cwd), "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("-a moves twice as far", async () => {
    const cwd = tempCwd();
    writeKeywordLog(cwd, { count: 400 });
    expect((await runCli(["tune", "-a", "--constraint", "layer"], cwd)).code).toBe(0);
    expect(JSON.parse(readFileSync(thresholdsPath(cwd), "utf8")).thresholds.keyword).toBe(0.75);
  });

  it('-m and -w: "insufficient samples" with counts, exit 2, nothing written', async () => {
    const cwd = tempCwd();
    writeKeywordLog(cwd, { count: 200, spanHours: 48 });
    const run = await runCli(["tune", "-m", "150", "-w", "24"], cwd);
    expect(run.code).toBe(2);
    // About half of the 200 decisions fall in the last 24 hours.
    expect(run.stderr).toMatch(/error \[MOE_INSUFFICIENT_DATA\]: insufficient samples: keyword (99|100|101) of 150/);
    expect(run.stdout).toMatch(/insufficient samples: (99|100|101) of 150 needed/);
    expect(existsSync(thresholdsPath(cwd))).toBe(false);
    // The whole window has enough.
    expect((await runCli(["tune", "-d", "-m", "150", "-w", "72"], cwd)).code).toBe(0);
  });

  it("a corrupt thresholds file keeps the config's thresholds with a coded error", async () => {
    const cwd = tempCwd();
    writeKeywordLog(cwd, { count: 400 });
    writeFileSync(thresholdsPath(cwd), '{"version":1,"thresholds":{"keyword":7}}');
    const routed = await routeThreshold(cwd);
    expect(routed.threshold).toBe(0.85);
    expect(routed.stderr).toMatch(/error \[MOE_CORRUPT_FILE\]: Thresholds file .*thresholds\.json is unusable/);
    const dry = await runCli(["tune", "-d"], cwd);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/MOE_CORRUPT_FILE/);
    expect(dry.stdout).toMatch(/keyword\s+0\.850\s+0\.800/);
    expect(readFileSync(thresholdsPath(cwd), "utf8")).toBe('{"version":1,"thresholds":{"keyword":7}}');
  });

  it("--experiment starts an A/B test instead of applying; routes then carry ab_test", async () => {
    const cwd = tempCwd();
    writeKeywordLog(cwd, { count: 400 });
    const run = await runCli(["tune", "--experiment", "lower-keyword", "--share", "0.5"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Started experiment "lower-keyword": 50.0% of tasks/);
    const file = JSON.parse(readFileSync(thresholdsPath(cwd), "utf8"));
    expect(file).toMatchObject({ thresholds: { keyword: 0.85 }, experiment: { name: "lower-keyword", share: 0.5, candidate_thresholds: { keyword: 0.8 } } });
    const variants = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const routed = await runCli(["route", "Deploy API to production", "--task-id", `t${i}`, "--no-track"], cwd);
      const out = JSON.parse(routed.stdout) as { ab_test?: { name: string; variant: string }; attempts: { threshold: number }[] };
      expect(out.ab_test?.name).toBe("lower-keyword");
      variants.add(`${out.ab_test!.variant}:${out.attempts[0]!.threshold}`);
    }
    expect(variants).toEqual(new Set(["control:0.85", "candidate:0.8"]));
  });

  it("refuses --experiment with -d, and bad numbers, naming the flag", async () => {
    const cwd = tempCwd();
    writeKeywordLog(cwd, { count: 50 });
    expect((await runCli(["tune", "-d", "--experiment", "x", "--share", "0.1"], cwd)).stderr).toMatch(/--dry-run writes nothing/);
    expect((await runCli(["tune", "--experiment", "x"], cwd)).stderr).toMatch(/--experiment NAME and --share S go together/);
    expect((await runCli(["tune", "--target-precision", "2"], cwd)).stderr).toMatch(/--target-precision must be a share greater than 0 and less than 1/);
    expect((await runCli(["tune", "-m", "0"], cwd)).stderr).toMatch(/-m\/--min-samples/);
    expect(existsSync(thresholdsPath(cwd))).toBe(false);
  });

  it("uses shadow-sampled decisions alone when there are enough of them", async () => {
    const cwd = tempCwd();
    writeKeywordLog(cwd, { count: 400, shadow: true });
    const shadowOnly = JSON.parse((await runCli(["tune", "-d", "--json", "-m", "150"], cwd)).stdout);
    expect(shadowOnly.proposal.cascade.source).toBe("shadow");
    expect(shadowOnly.proposal.shadowTraces).toBe(200);
    const mixed = JSON.parse((await runCli(["tune", "-d", "--json", "-m", "250"], cwd)).stdout);
    expect(mixed.proposal.cascade.source).toBe("mixed");
  });

  it("--json prints the proposal", async () => {
    const cwd = tempCwd();
    writeKeywordLog(cwd, { count: 400 });
    const run = await runCli(["tune", "-d", "--json", "--constraint", "layer"], cwd);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ action: "dry-run", proposal: { before: { keyword: 0.85 }, after: { keyword: 0.8 }, options: { constraint: "layer" } } });
  });
});
