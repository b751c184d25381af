/**
 * The neural layer's input features on the full BANKING77 and HWU64 datasets, on exactly
 * the rows `moe-router eval` uses (tuner's evaluationSplit): each configuration is fitted
 * with `layer.fit(train, { validation })` (early stopping + temperature on the validation
 * rows), then every test text is routed. Reports accuracy at 100/80/50% coverage, ECE,
 * fit time and route latency, beside the TF-IDF + LR baseline when
 * tools/baselines/run-baseline.sh has written .baselines/<dataset>.json.
 *
 *   pnpm bench neural-features
 * Env: FEATURE_BENCH_CONFIGS (default "tfidf:softmax,embedding:softmax,tfidf+embedding:softmax"),
 *      FEATURE_BENCH_DATASETS (default "banking77,hwu64"), FEATURE_BENCH_MINDF (default 1).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expectedCalibrationError, type LabelledExample } from "@moe-router/core";
import { hashedEmbedder } from "@moe-router/embeddings";
import { neuralLayer, type FeatureKind, type HeadKind } from "@moe-router/layer-neural";
import { evaluationSplit, loadEvaluationData } from "@moe-router/tuner";
import { fullDatasetPath } from "../datasets/load.js";

const configs = (process.env.FEATURE_BENCH_CONFIGS ?? "tfidf:softmax,embedding:softmax,tfidf+embedding:softmax").split(",").map((c) => {
  const [features, kind] = c.split(":") as [FeatureKind, HeadKind];
  return { features, kind: kind ?? "softmax" };
});
const datasets = (process.env.FEATURE_BENCH_DATASETS ?? "banking77,hwu64").split(",") as ("banking77" | "hwu64")[];

function accuracyAt(confidence: readonly number[], correct: readonly boolean[], coverage: number): number {
  const order = confidence.map((_, i) => i).sort((a, b) => confidence[b]! - confidence[a]!);
  const kept = order.slice(0, Math.max(1, Math.round(coverage * order.length)));
  return kept.filter((i) => correct[i]).length / kept.length;
}

const pct = (x: number | undefined) => (x === undefined ? "   -  " : `${(x * 100).toFixed(1).padStart(5)}%`);
console.log(
  `load ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log("dataset    features          head     fit s  epochs  T      acc100  acc80   acc50   ECE    p50 ms | TF-IDF+LR acc100 acc80");
for (const name of datasets) {
  const path = fullDatasetPath(name);
  if (!path) {
    console.log(`(skipped ${name}: full dataset not found; set MOE_DATASETS_DIR)`);
    continue;
  }
  const split = evaluationSplit(await loadEvaluationData(path));
  const toExamples = (rows: typeof split.train): LabelledExample[] => rows.map((r) => ({ text: r.text, expert: r.label }));
  const baselinePath = join(process.cwd(), ".baselines", `${name}.json`);
  const baseline = existsSync(baselinePath) ? (JSON.parse(readFileSync(baselinePath, "utf8")) as { accuracy_100: number; accuracy_80: number }) : undefined;
  for (const { features, kind } of configs) {
    const embedder = hashedEmbedder();
    embedder.fitIdf(split.train.map((r) => r.text));
    // As the eval config: minDf 1 (the baseline's vectoriser), at most 30 epochs, early stopping on val accuracy.
    const layer = neuralLayer({ embedder, features, kind, tfidf: { minDf: Number(process.env.FEATURE_BENCH_MINDF ?? 1) }, fitEpochs: 30 });
    const started = performance.now();
    const report = await layer.fit!(toExamples(split.train), { validation: toExamples(split.val) });
    const fitSeconds = (performance.now() - started) / 1000;
    const confidence: number[] = [];
    const correct: boolean[] = [];
    const latencies: number[] = [];
    for (const [i, row] of split.test.entries()) {
      const t0 = performance.now();
      const verdict = await layer.route({ id: `t${i}`, description: row.text }, { eventId: `t${i}` });
      latencies.push(performance.now() - t0);
      confidence.push(verdict.confidence);
      correct.push(verdict.expert === row.label);
    }
    latencies.sort((a, b) => a - b);
    const acc = (c: number) => accuracyAt(confidence, correct, c);
    console.log(
      [
        name.padEnd(10),
        features.padEnd(17),
        kind.padEnd(8),
        fitSeconds.toFixed(1).padStart(5),
        `${report.bestEpoch}/${report.epochsRun}`.padStart(7),
        report.temperature.toFixed(2).padStart(5),
        pct(acc(1)),
        pct(acc(0.8)),
        pct(acc(0.5)),
        expectedCalibrationError(confidence, correct).toFixed(3).padStart(6),
        latencies[Math.floor(latencies.length / 2)]!.toFixed(3).padStart(7),
        "|",
        pct(baseline?.accuracy_100),
        pct(baseline?.accuracy_80),
        `(${correct.filter(Boolean).length}/${correct.length} right)`,
      ].join("  "),
    );
  }
}
