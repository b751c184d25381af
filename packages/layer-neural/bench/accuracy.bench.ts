/**
 * Accuracy, calibration, training time and per-route latency of the neural layer on the
 * full BANKING77 and HWU64 datasets (../shared/datasets, or $MOE_DATASETS_DIR), with the
 * model-free hashed embedder.
 *
 * For each dataset and head kind: train on the "train" split (10% carved out, stratified
 * and seeded, for early stopping and temperature scaling), then route every "test" text
 * through neuralLayer and score it. Run with `pnpm bench layer-neural`.
 * Env: NEURAL_BENCH_DIM (default 2048), NEURAL_BENCH_KINDS (default "softmax,mlp").
 */
import { expectedCalibrationError, softmax, type Verdict } from "@moe-router/core";
import { hashedEmbedder } from "@moe-router/embeddings";
import { fullDatasetPath, readDataset, split } from "../../../tools/datasets/load.js";
import { neuralLayer, trainHead, type HeadKind } from "../src/index.js";

const dimension = Number(process.env.NEURAL_BENCH_DIM ?? 2048);
const kinds = (process.env.NEURAL_BENCH_KINDS ?? "softmax,mlp").split(",") as HeadKind[];

interface Row {
  dataset: string;
  head: string;
  train: number;
  test: number;
  epochs: string;
  trainSeconds: number;
  accuracy: number;
  at50: number;
  at80: number;
  eceRaw: number;
  eceScaled: number;
  temperature: number;
  p50: number;
  p99: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Accuracy over the `coverage` share of test tasks the head is most confident about. */
function accuracyAtCoverage(confidences: readonly number[], correct: readonly boolean[], coverage: number): number {
  const order = confidences.map((c, i) => i).sort((a, b) => confidences[b]! - confidences[a]!);
  const kept = order.slice(0, Math.max(1, Math.round(coverage * order.length)));
  return kept.filter((i) => correct[i]).length / kept.length;
}

const rows: Row[] = [];
for (const name of ["banking77", "hwu64"] as const) {
  const path = fullDatasetPath(name);
  if (!path) {
    console.log(`(skipped ${name}: full dataset not found; set MOE_DATASETS_DIR)`);
    continue;
  }
  const data = readDataset(path);
  const train = split(data, "train");
  const test = split(data, "test");
  const embedder = hashedEmbedder({ dimension });
  const trainVectors = embedder.embed(train.map((r) => r.text));
  const testVectors = embedder.embed(test.map((r) => r.text));

  for (const kind of kinds) {
    const started = performance.now();
    const head = trainHead(
      train.map((r, i) => ({ vector: trainVectors[i]!, label: r.label, text: r.text })),
      { kind, embedderId: embedder.id, seed: 42 },
    );
    const trainSeconds = (performance.now() - started) / 1000;

    // Calibration on the test split, before (T = 1) and after temperature scaling.
    const rawConfidences: number[] = [];
    const rawCorrect: boolean[] = [];
    testVectors.forEach((vector, i) => {
      const p = softmax(head.predictLogits(vector), 1);
      let best = 0;
      for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
      rawConfidences.push(p[best]!);
      rawCorrect.push(head.labels[best] === test[i]!.label);
    });

    // Routing through the layer: embedding + head + verdict, timed one task at a time.
    const layer = neuralLayer({ embedder, model: head });
    for (const row of test.slice(0, 200)) layer.route({ description: row.text }, { eventId: "warm-up" });
    const latencies: number[] = [];
    const confidences: number[] = [];
    const correct: boolean[] = [];
    for (const row of test) {
      const t0 = performance.now();
      const verdict = layer.route({ description: row.text }, { eventId: "bench" }) as Verdict;
      latencies.push(performance.now() - t0);
      confidences.push(verdict.confidence);
      correct.push(verdict.expert === row.label);
    }
    latencies.sort((a, b) => a - b);
    const m = head.metrics!;
    rows.push({
      dataset: name,
      head: kind === "mlp" ? "mlp (128)" : kind,
      train: m.trainExamples,
      test: test.length,
      epochs: `${m.epochsRun} (best ${m.bestEpoch})`,
      trainSeconds,
      accuracy: correct.filter(Boolean).length / correct.length,
      at50: accuracyAtCoverage(confidences, correct, 0.5),
      at80: accuracyAtCoverage(confidences, correct, 0.8),
      eceRaw: expectedCalibrationError(rawConfidences, rawCorrect),
      eceScaled: expectedCalibrationError(confidences, correct),
      temperature: head.temperature,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
    });
    await layer.close?.();
  }
}

const header = ["dataset", "head", "train", "test", "epochs", "train s", "accuracy", "acc@50%", "acc@80%", "ECE T=1", "ECE T", "T", "route p50 ms", "route p99 ms"];
const table = rows.map((r) => [
  r.dataset,
  r.head,
  String(r.train),
  String(r.test),
  r.epochs,
  r.trainSeconds.toFixed(1),
  r.accuracy.toFixed(3),
  r.at50.toFixed(3),
  r.at80.toFixed(3),
  r.eceRaw.toFixed(3),
  r.eceScaled.toFixed(3),
  r.temperature.toFixed(2),
  r.p50.toFixed(3),
  r.p99.toFixed(3),
]);
console.log(`neural layer, hashed embedder d=${dimension}, Node ${process.version}`);
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const line of table) console.log(`| ${line.join(" | ")} |`);
