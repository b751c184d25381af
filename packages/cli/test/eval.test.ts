import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

const mini = fileURLToPath(new URL("../../../fixtures/datasets/hwu64-mini.jsonl", import.meta.url));

describe("moe-router eval on hwu64-mini (built-in semantic -> rag -> neural cascade)", async () => {
  const cwd = tempCwd();
  const text = await runCli(["eval", "--data", mini, "--val-share", "0.3"], cwd);
  const json = await runCli(["eval", "--data", mini, "--val-share", "0.3", "--json"], cwd);

  it("prints the report: fit, defaults vs tuned, per layer, risk-coverage", () => {
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Evaluation of hwu64-mini\.jsonl: 12 labels; train 96, val 48 \(no validation split in the data: carved 30% of each train label, seed 42\), test 60\./);
    expect(text.stdout).toMatch(/Layers: semantic -> rag -> neural -> clarification/);
    expect(text.stdout).toMatch(/Test \(60 rows\):/);
    for (const row of ["accuracy (routed)", "coverage", "in-scope accuracy", "clarification rate", "latency p50 / p99 (ms)", "Per layer", "Risk-coverage"]) expect(text.stdout).toContain(row);
    // Progress goes to stderr, never into the report.
    expect(text.stderr).toMatch(/route-test/);
  });

  it("--json gives every figure and the risk-coverage points", () => {
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.layers).toEqual(["semantic", "rag", "neural"]);
    expect(report.data).toMatchObject({ train: 96, val: 48, test: 60, labels: 12, valSource: "carved" });
    expect(report.defaults.thresholds).toEqual({ semantic: 0.7, rag: 0.85, neural: 0.9 });
    // The neural layer fits itself: TF-IDF features, early stopping and temperature on the val rows.
    expect(report.fit.map((f: { method: string }) => f.method)).toEqual(["fit", "learn+calibrate", "fit"]);
    expect(report.fit[2].note).toMatch(/ECE/);
    expect(report.setup).toMatchObject({ fusion: "off", outOfScopeClass: false });
    for (const layer of ["semantic", "rag", "neural"]) expect(report.accuracy.layers[layer]).toMatchObject({ rows: 60 });
    expect(report.accuracy.cascade.atCoverage).toHaveLength(2);
    for (const metrics of [report.defaults, report.tuned]) {
      expect(metrics.rows).toBe(60);
      expect(metrics.coverage + metrics.clarificationRate).toBeCloseTo(1, 12);
      expect(metrics.latencyMs.p50).toBeGreaterThan(0);
    }
    expect(report.riskCoverage.cascade.length).toBeGreaterThan(10);
    expect(Object.keys(report.riskCoverage.layers)).toEqual(["semantic", "rag", "neural"]);
    expect(report.standalone.every((s: { accuracy: number }) => s.accuracy > 0.3)).toBe(true);
  });

  it("learns into a throwaway directory, never the working one", () => {
    expect(existsSync(join(cwd, ".moe-router"))).toBe(false);
  });
});

describe("moe-router eval options and errors", () => {
  it("--oos-label: out-of-scope rows are left out of fitting and scored at the clarification fallback", async () => {
    const cwd = tempCwd();
    const rows = readFileSync(mini, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { label: string; split: string });
    const relabelled = rows.map((row) => (row.label === "alarm_query" || row.label === "weather_query" ? { ...row, label: "oos" } : row));
    const file = join(cwd, "with-oos.jsonl");
    writeFileSync(file, relabelled.map((row) => JSON.stringify(row)).join("\n"));
    const oosTest = relabelled.filter((row) => row.label === "oos" && row.split === "test").length;
    expect(oosTest).toBeGreaterThan(0);
    const run = await runCli(["eval", "--data", file, "--oos-label", "oos", "--no-tune", "--json"], cwd);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.data.outOfScope).toMatchObject({ label: "oos", test: oosTest });
    expect(report.data.labels).toBe(new Set(relabelled.map((r) => r.label)).size - 1);
    expect(report.defaults.outOfScope.rows).toBe(oosTest);
    expect(report.defaults.outOfScope.recall).toBeGreaterThanOrEqual(0);
    expect(report.tuned).toBeUndefined();
    const textRun = await runCli(["eval", "--data", file, "--oos-label", "oos", "--no-tune"], cwd);
    expect(textRun.stdout).toMatch(/out-of-scope recall/);
    expect(textRun.stdout).toMatch(/Out-of-scope label "oos"/);
  });

  it("uses the dataset's own validation split when it has one", async () => {
    const cwd = tempCwd();
    const rows = readFileSync(mini, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { split: string });
    const file = join(cwd, "with-val.jsonl");
    writeFileSync(file, rows.map((row, i) => JSON.stringify(row.split === "train" && i % 4 === 0 ? { ...row, split: "dev" } : row)).join("\n"));
    const run = await runCli(["eval", "--data", file, "--val-split", "dev", "--json"], cwd);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).data).toMatchObject({ valSource: "dataset", val: 36, train: 108 });
  });

  it.each([
    [[], /--data FILE\.jsonl is required/, "MOE_INVALID_ARGUMENT"],
    [["--data", "missing.jsonl"], /Cannot read dataset .*missing\.jsonl: ENOENT\. Check the --data path/, "MOE_NOT_FOUND"],
    [["--data", mini, "--label-field", "intent"], /has no "intent" field .*--label-field/, "MOE_INVALID_CONFIG"],
    [["--data", mini, "--test-split", "holdout"], /no "holdout" rows .*--test-split/, "MOE_INSUFFICIENT_DATA"],
    [["--data", mini, "--target-precision", "1.5"], /--target-precision/, "MOE_INVALID_ARGUMENT"],
    [["--data", mini, "--constraint", "both"], /--constraint must be "cascade"/, "MOE_INVALID_ARGUMENT"],
    [["--data", mini, "--objective", "recall:0.5"], /--objective must be/, "MOE_INVALID_CONFIG"],
    [["--data", mini, "--objective", "coverage:0.8", "--target-precision", "0.9"], /not both/, "MOE_INVALID_CONFIG"],
    [["--data", mini, "--fusion", "first"], /--fusion must be/, "MOE_INVALID_CONFIG"],
    [["--data", mini, "--oos-class"], /--oos-class .*--oos-label/, "MOE_INVALID_CONFIG"],
    [["--data", mini, "--objective", "oos-recall:0.8"], /out-of-scope rows among the validation rows/, "MOE_INSUFFICIENT_DATA"],
  ])("refuses %j with a coded error", async (args, message, code) => {
    const run = await runCli(["eval", ...args], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error [${code}]`);
    expect(run.stderr).toMatch(message);
  });
});

describe("moe-router eval: fusion, held-out intents, out-of-scope class and objectives", () => {
  it("--fusion last adds a fusion layer fitted on val after the others; --hold-out-intents with --oos-class makes and clarifies unknowns", async () => {
    const run = await runCli(["eval", "--data", mini, "--val-share", "0.3", "--fusion", "last", "--hold-out-intents", "4", "--oos-class", "--objective", "oos-recall:0.5", "--json"], tempCwd());
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.layers).toEqual(["semantic", "rag", "neural", "fusion"]);
    expect(report.setup).toMatchObject({ fusion: "last", fusionThreshold: 0.6, outOfScopeClass: true });
    expect(report.setup.heldOutIntents).toHaveLength(4);
    expect(report.data.outOfScope.label).toBe("oos");
    expect(report.data.outOfScope.test).toBe(20); // 4 intents x 5 test rows
    expect(report.data.labels).toBe(8);
    expect(report.fit.at(-1)).toMatchObject({ layer: "fusion", method: "fit" });
    expect(report.tuning.objective).toEqual({ kind: "oos-recall", target: 0.5 });
    expect(report.tuned.outOfScope.recall).toBeGreaterThan(0);
    expect(report.accuracy.layers.fusion.rows).toBe(40);
  });

  it("--fusion alone routes with the fusion layer only (it fits and runs the members itself)", async () => {
    const run = await runCli(["eval", "--data", mini, "--val-share", "0.3", "--fusion", "alone", "--objective", "coverage:0.8", "--json"], tempCwd());
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.layers).toEqual(["fusion"]);
    expect(report.standalone[0].accuracy).toBeGreaterThan(0.5);
    expect(report.tuning.targetSource).toBe("objective");
  });
});
