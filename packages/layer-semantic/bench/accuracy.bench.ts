/**
 * Accuracy, accuracy at coverage, calibration (ECE) and per-route latency of the semantic
 * layer on the full BANKING77 and HWU64 datasets, for each available embedder.
 *
 *   pnpm bench layer-semantic                              # default settings, every embedder
 *   SEMANTIC_BENCH_EXPLORE=1 pnpm bench layer-semantic     # + other scorings and calibrations (hashed)
 *   SEMANTIC_BENCH_TEST_LIMIT=500 pnpm bench layer-semantic  # subsample each test split (seeded)
 *
 * Protocol: the train split gives the exemplars, except a stratified, seeded 10% carved off
 * as the calibration set (neither dataset publishes a validation split) - that is what
 * `layer.fit(train)` does. The "exemplars" rows instead use the whole train split as
 * exemplars and the layer's default leave-one-out self-calibration (no fit()). The test
 * split is routed one task at a time; latency is the wall time of each route() call.
 */
import { performance } from "node:perf_hooks";
import { expectedCalibrationError, type LabelledExample } from "@moe-router/core";
import { hashedEmbedder } from "@moe-router/embeddings";
import { fullDatasetPath, readDataset, split, type DatasetRow } from "../../../tools/datasets/load.js";
import { semanticLayer, type CalibrateOptions, type ExpertExemplars, type ScoringMethod, type SemanticLayer } from "../src/index.js";
import { seededRandom, shuffled } from "../src/internal/random.js";
import { loadOptionalEmbedders, memoised, type BenchEmbedder, type MemoisedEmbedder } from "./embedders.js";
import { accuracyAtCoverage, percentile, printTable, seededSample } from "./metrics.js";

interface Variant {
  readonly scoring: ScoringMethod;
  readonly k?: number;
  /** "exemplars": self-calibration on the train split; otherwise fit() with a 10% carve. */
  readonly calibrate: CalibrateOptions | "exemplars";
}

const DEFAULTS: readonly Variant[] = [
  { scoring: "knn", k: 5, calibrate: {} },
  { scoring: "knn", k: 5, calibrate: "exemplars" },
];
const EXPLORE: readonly Variant[] = [
  { scoring: "knn", k: 5, calibrate: { kind: "platt", feature: "margin" } },
  { scoring: "knn", k: 5, calibrate: { kind: "platt", feature: "top" } },
  { scoring: "knn", k: 5, calibrate: { kind: "temperature" } },
  { scoring: "knn", k: 3, calibrate: { kind: "platt", feature: "margin" } },
  { scoring: "knn", k: 10, calibrate: { kind: "platt", feature: "margin" } },
  { scoring: "max", calibrate: { kind: "platt", feature: "margin" } },
  { scoring: "max", calibrate: { kind: "temperature" } },
  { scoring: "centroid", calibrate: { kind: "platt", feature: "margin" } },
];
const SEED = 7;

const testLimit = Number(process.env.SEMANTIC_BENCH_TEST_LIMIT ?? 0);
const explore = process.env.SEMANTIC_BENCH_EXPLORE === "1";
const table: Record<string, string>[] = [];

function toExamples(rows: readonly DatasetRow[]): LabelledExample[] {
  return rows.map((row) => ({ text: row.text, expert: row.label, source: "dataset" }));
}

/** At most `perLabel` examples of each label, chosen by a seeded shuffle. */
function capPerLabel(examples: readonly LabelledExample[], perLabel: number): LabelledExample[] {
  const kept = new Map<string, number>();
  return shuffled(examples, seededRandom(SEED)).filter((example) => {
    const count = kept.get(example.expert) ?? 0;
    kept.set(example.expert, count + 1);
    return count < perLabel;
  });
}

function toExperts(examples: readonly LabelledExample[]): Record<string, ExpertExemplars> {
  const experts: Record<string, { exemplars: string[] }> = {};
  for (const example of examples) (experts[example.expert] ??= { exemplars: [] }).exemplars.push(example.text);
  return experts;
}

async function prepare(embedder: MemoisedEmbedder, train: LabelledExample[], variant: Variant): Promise<{ layer: SemanticLayer; validationEce: string }> {
  const base = { embedder, scoring: variant.scoring, ...(variant.k ? { k: variant.k } : {}) };
  if (variant.calibrate === "exemplars") {
    const layer = semanticLayer({ ...base, experts: toExperts(train), seed: SEED });
    await layer.ready();
    return { layer, validationEce: "-" };
  }
  const layer = semanticLayer(base);
  const report = await layer.fit(train, { validationShare: 0.1, seed: SEED, ...variant.calibrate });
  return { layer, validationEce: `${report.eceRaw.toFixed(3)} / ${report.eceAfter.toFixed(3)}` };
}

function calibrationName(layer: SemanticLayer, variant: Variant): string {
  const calibration = layer.getCalibration();
  const name = calibration.kind === "platt" ? `platt(${calibration.feature})` : "temperature";
  return variant.calibrate === "exemplars" ? `${name}, self` : name;
}

async function measure(dataset: string, embedderName: string, embedder: MemoisedEmbedder, train: LabelledExample[], test: readonly DatasetRow[], variant: Variant, trainNote: string): Promise<void> {
  const prepared = performance.now();
  embedder.bypass = false;
  const { layer, validationEce } = await prepare(embedder, train, variant);
  const prepareSeconds = (performance.now() - prepared) / 1000;
  embedder.bypass = true; // each route embeds its task for real
  const confidences: number[] = [];
  const raw: number[] = [];
  const correct: boolean[] = [];
  const latencies: number[] = [];
  for (const row of test) {
    const started = performance.now();
    const verdict = await layer.route({ description: row.text }, { eventId: "bench" });
    latencies.push(performance.now() - started);
    confidences.push(verdict.confidence);
    raw.push(Math.max(0, Math.min(1, Number(verdict.details?.score ?? 0))));
    correct.push(verdict.expert === row.label);
  }
  await layer.close();
  table.push({
    dataset,
    embedder: embedderName,
    "train/label": trainNote,
    scoring: variant.scoring === "knn" ? `knn k=${variant.k}` : variant.scoring,
    calibration: calibrationName(layer, variant),
    exemplars: String(layer.stats().exemplars),
    test: String(test.length),
    accuracy: (correct.filter(Boolean).length / correct.length).toFixed(3),
    "acc@50%": accuracyAtCoverage(confidences, correct, 0.5).toFixed(3),
    "acc@80%": accuracyAtCoverage(confidences, correct, 0.8).toFixed(3),
    "acc@100%": accuracyAtCoverage(confidences, correct, 1).toFixed(3),
    "ECE raw": expectedCalibrationError(raw, correct).toFixed(3),
    "ECE cal": expectedCalibrationError(confidences, correct).toFixed(3),
    "val ECE raw / cal": validationEce,
    "p50 ms": percentile(latencies, 0.5).toFixed(2),
    "p99 ms": percentile(latencies, 0.99).toFixed(2),
    "setup s": prepareSeconds.toFixed(1),
  });
}

async function main(): Promise<void> {
  const optional = await loadOptionalEmbedders();
  for (const dataset of ["banking77", "hwu64"] as const) {
    const path = fullDatasetPath(dataset);
    if (!path) {
      console.log(`${dataset}: not found under $MOE_DATASETS_DIR or ../shared/datasets; skipped.`);
      continue;
    }
    const rows = readDataset(path);
    const train = toExamples(split(rows, "train"));
    const fullTest = split(rows, "test");
    const hashed = hashedEmbedder();
    // IDF from the training texts only: the test split stays unseen.
    hashed.fitIdf(train.map((example) => example.text));
    const runs: BenchEmbedder[] = [{ name: "hashed", embedder: memoised(hashed), testLimit, trainPerLabel: 0 }];
    for (const optionalEmbedder of optional.embedders) {
      // The hashed embedder on the same reduced data, so the two embedders compare like for like.
      runs.push({ ...optionalEmbedder, name: "hashed", embedder: memoised(hashed) });
      runs.push(optionalEmbedder);
    }
    for (const run of runs) {
      const limit = testLimit || run.testLimit;
      const test = limit > 0 && limit < fullTest.length ? seededSample(fullTest, limit, 11) : fullTest;
      const exemplars = run.trainPerLabel > 0 ? capPerLabel(train, run.trainPerLabel) : train;
      const full = run.trainPerLabel === 0;
      const variants = explore && run.name === "hashed" && full ? [...DEFAULTS, ...EXPLORE] : DEFAULTS;
      for (const variant of variants) await measure(dataset, run.name, run.embedder, exemplars, test, variant, full ? "all" : `<=${run.trainPerLabel}`);
    }
  }
  for (const optionalEmbedder of optional.embedders) await optionalEmbedder.embedder.close?.();
  printTable(table);
  for (const note of optional.notes) console.log(`note: ${note}`);
  console.log("ECE raw: the expert's raw score read as a probability (an uncalibrated layer); ECE cal: the layer's confidence. Both on the routed test rows.");
  console.log("val ECE raw / cal: the same on the 10% calibration carve the fit used. setup s: embedding the exemplars and calibrating.");
}

await main();
