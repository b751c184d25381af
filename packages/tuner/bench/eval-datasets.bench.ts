/**
 * The "done when" table: `moe-router eval` on the full HWU64 and BANKING77 datasets with the
 * built-in cascade (semantic -> rag -> neural over the hashed embedder), the prototype's
 * default thresholds vs thresholds tuned on validation. Runs the CLI exactly as a user would:
 *   moe-router eval --data ../shared/datasets/<name>/<name>.jsonl --json
 * Needs the full datasets ($MOE_DATASETS_DIR, default ../shared/datasets); skips without them.
 * Takes a few minutes per dataset on 2 cores (the neural head trains on ~9k texts).
 */
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fullDatasetPath } from "../../../tools/datasets/load.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const bin = join(root, "packages/cli/src/bin.ts");

interface Metrics {
  readonly thresholds: Record<string, number>;
  readonly routedAccuracy: number;
  readonly coverage: number;
  readonly inScopeAccuracy: number;
  readonly latencyMs: { p50: number; p99: number };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const thresholds = (t: Record<string, number>) =>
  Object.entries(t)
    .map(([layer, value]) => `${layer} ${value.toFixed(3)}`)
    .join(", ");

const rows: Record<string, string>[] = [];
for (const name of ["hwu64", "banking77"] as const) {
  const path = fullDatasetPath(name);
  if (!path) {
    console.log(`${name}: full dataset not found (set MOE_DATASETS_DIR); skipped`);
    continue;
  }
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", "--conditions=moe-router-source", bin, "eval", "--data", path, "--json"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  if (run.status !== 0) {
    console.error(`${name}: eval failed (exit ${run.status})\n${run.stderr}`);
    process.exitCode = 1;
    continue;
  }
  const report = JSON.parse(run.stdout) as { defaults: Metrics; tuned: Metrics; tuning: { targetPrecision: number; targetReason: string }; data: { train: number; val: number; test: number } };
  console.log(
    `${name}: train ${report.data.train}, val ${report.data.val} (carved), test ${report.data.test}; ${((performance.now() - started) / 1000).toFixed(0)} s; tuned for precision bound >= ${report.tuning.targetPrecision} (${report.tuning.targetReason})`,
  );
  for (const [label, m] of [
    ["prototype defaults", report.defaults],
    ["tuned on val", report.tuned],
  ] as const) {
    rows.push({
      dataset: name,
      thresholds: label,
      values: thresholds(m.thresholds),
      "accuracy (routed)": percent(m.routedAccuracy),
      coverage: percent(m.coverage),
      "in-scope accuracy": percent(m.inScopeAccuracy),
      "p50 / p99 ms": `${m.latencyMs.p50.toFixed(2)} / ${m.latencyMs.p99.toFixed(2)}`,
    });
  }
  const beats = report.tuned.routedAccuracy > report.defaults.routedAccuracy && report.tuned.coverage >= report.defaults.coverage;
  console.log(`${name}: tuned ${beats ? "beats" : "does NOT beat"} the defaults on accuracy at equal or higher coverage`);
}
if (rows.length) console.table(rows);
