/**
 * Cold start: the semantic layer with 3, 5, 10 and 20 exemplars per label, against a plain
 * cosine-threshold router (the nearest exemplar's cosine against one global threshold tuned
 * on a validation set: how aurelio's semantic-router decides), on BANKING77 and HWU64.
 *
 *   pnpm bench coldstart
 *   COLDSTART_TEST_LIMIT=0 pnpm bench coldstart      # the whole test splits (default: 1,000 seeded rows each)
 *   COLDSTART_EMBEDDERS=hashed pnpm bench coldstart  # only some embedders (hashed, use, hashed+use)
 *
 * Protocol (seed 7): each label's train rows are shuffled; the first 20 are its exemplar pool
 * (a size takes the first 3, 5, 10 or 20 of them, so sizes are nested) and the next 5 its
 * validation rows (neither dataset publishes a validation split). The baseline's threshold
 * is tuned on the validation rows: the lowest cosine at which the accepted validation tasks are
 * at least 70% right, the promise our 0.7 confidence threshold makes. Our layer ("self") has
 * only the exemplars - leave-one-out calibration shrunk towards the prior, no validation data;
 * "+val" additionally calibrates on the validation rows (what `moe-router train` does).
 * The hashed embedder's IDF is fitted on the exemplars of each size (all a new user has).
 * USE lite vectors are memoised on disk (OS temp dir) so reruns cost no model time; every
 * embedder routes the same seeded 1,000-row sample of each test split (USE lite is slow).
 * "hashed+use" is combinedEmbedder([hashed, use]) from @moe-router/embeddings (equal weights).
 */
import { expectedCalibrationError, type Embedder, type LabelledExample } from "@moe-router/core";
import { cpus, loadavg } from "node:os";
import { combinedEmbedder, hashedEmbedder } from "@moe-router/embeddings";
import { fullDatasetPath, readDataset, split, type DatasetRow } from "../../../tools/datasets/load.js";
import { semanticLayer, type ScoringMethod } from "../src/index.js";
import { seededRandom, shuffled } from "../src/internal/random.js";
import { CosineRouter, coverageAtPrecision, diskMemo, tuneThreshold, type Prediction } from "./coldstart-support.js";
import { memoised } from "./embedders.js";
import { accuracyAtCoverage, printTable, seededSample } from "./metrics.js";

const SIZES = (process.env.COLDSTART_SIZES ?? "3,5,10,20").split(",").map(Number);
const POOL_PER_LABEL = 20;
const VALIDATION_PER_LABEL = 5;
const SEED = 7;
const THRESHOLD = 0.7;
const testLimit = Number(process.env.COLDSTART_TEST_LIMIT ?? 1000);
const wanted = (process.env.COLDSTART_EMBEDDERS ?? "hashed,use,hashed+use").split(",");
const scoring = (process.env.COLDSTART_SCORING ?? undefined) as ScoringMethod | undefined;
const k = process.env.COLDSTART_K ? Number(process.env.COLDSTART_K) : undefined;
const priorWeight = process.env.COLDSTART_PRIOR ? Number(process.env.COLDSTART_PRIOR) : undefined;
const fusion = Number(process.env.COLDSTART_FUSION ?? 0.5); // weight of the hashed part in hashed+use

interface Metrics {
  readonly accuracy: number;
  readonly at50: number;
  readonly at80: number;
  readonly ece: number;
  readonly accepted: number;
  readonly precision: number;
  /** Share accepted at the baseline's test precision (threshold-free); filled in for our rows. */
  coverage?: number;
}

function measure(predictions: readonly Prediction[], truth: readonly string[], threshold: number): Metrics {
  const correct = predictions.map((p, i) => p.label === truth[i]);
  const scores = predictions.map((p) => Math.min(1, Math.max(0, p.score)));
  const accepted = predictions.map((p) => p.score >= threshold);
  const acceptedCount = accepted.filter(Boolean).length;
  return {
    accuracy: correct.filter(Boolean).length / correct.length,
    at50: accuracyAtCoverage(scores, correct, 0.5),
    at80: accuracyAtCoverage(scores, correct, 0.8),
    ece: expectedCalibrationError(scores, correct),
    accepted: acceptedCount / predictions.length,
    precision: acceptedCount ? correct.filter((c, i) => c && accepted[i]).length / acceptedCount : 0,
  };
}

/** Each label's train rows, shuffled (seeded): the exemplar pool, then the validation rows. */
function pools(train: readonly DatasetRow[]): { pool: Map<string, string[]>; validation: DatasetRow[] } {
  const byLabel = new Map<string, string[]>();
  for (const row of shuffled(train, seededRandom(SEED))) (byLabel.get(row.label) ?? byLabel.set(row.label, []).get(row.label)!).push(row.text);
  const pool = new Map<string, string[]>();
  const validation: DatasetRow[] = [];
  for (const [label, texts] of byLabel) {
    const largest = POOL_PER_LABEL;
    pool.set(label, texts.slice(0, largest));
    for (const text of texts.slice(largest, largest + VALIDATION_PER_LABEL)) validation.push({ text, label, split: "validation" });
  }
  return { pool, validation };
}

async function embedAll(embedder: Embedder, texts: readonly string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += 256) out.push(...(await embedder.embed(texts.slice(start, start + 256))));
  return out;
}

const rows: Record<string, string>[] = [];
const verdicts: string[] = [];
const format = (m: Metrics) => ({
  accuracy: m.accuracy.toFixed(3),
  "acc@50%": m.at50.toFixed(3),
  "acc@80%": m.at80.toFixed(3),
  ECE: m.ece.toFixed(3),
  "accepted@thr": `${(m.accepted * 100).toFixed(1)}%`,
  "precision@thr": m.precision.toFixed(3),
  "accepted@base precision": m.coverage === undefined ? "-" : `${(m.coverage * 100).toFixed(1)}%`,
});

async function runOne(
  dataset: string,
  size: number,
  embedderName: string,
  embedder: Embedder,
  exemplars: readonly LabelledExample[],
  validation: readonly DatasetRow[],
  test: readonly DatasetRow[],
): Promise<void> {
  const memo = memoised(embedder);
  const exemplarVectors = await embedAll(
    memo,
    exemplars.map((e) => e.text),
  );
  const validationVectors = await embedAll(
    memo,
    validation.map((r) => r.text),
  );
  const testVectors = await embedAll(
    memo,
    test.map((r) => r.text),
  );
  const truth = test.map((r) => r.label);

  const baseline = new CosineRouter(
    exemplarVectors,
    exemplars.map((e) => e.expert),
  );
  const threshold = tuneThreshold(
    validationVectors.map((v) => baseline.predict(v)),
    validation.map((r) => r.label),
    THRESHOLD,
  );
  const base = measure(
    testVectors.map((v) => baseline.predict(v)),
    truth,
    threshold,
  );

  const experts: Record<string, { exemplars: string[] }> = {};
  for (const e of exemplars) (experts[e.expert] ??= { exemplars: [] }).exemplars.push(e.text);
  const options = { embedder: memo, experts, ...(scoring ? { scoring } : {}), ...(k ? { k } : {}), ...(priorWeight !== undefined ? { calibrationPriorWeight: priorWeight } : {}) };
  const results: [string, Metrics, string][] = [[`cosine (t=${threshold.toFixed(2)})`, base, "val"]];
  for (const variant of ["self", "+val"] as const) {
    const layer = semanticLayer(options);
    await layer.ready();
    if (variant === "+val") await layer.calibrate(validation.map((r) => ({ text: r.text, expert: r.label })));
    const predictions: Prediction[] = [];
    for (const row of test) {
      const verdict = await layer.route({ description: row.text }, { eventId: "bench" });
      predictions.push({ label: verdict.expert, score: verdict.confidence });
    }
    const stats = layer.stats();
    if (process.env.COLDSTART_BINS) {
      const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, right: 0 }));
      predictions.forEach((p, i) => {
        const bin = bins[Math.min(9, Math.floor(p.score * 10))]!;
        bin.n++;
        bin.conf += p.score;
        if (p.label === truth[i]) bin.right++;
      });
      console.log(variant, JSON.stringify(layer.getCalibration()), bins.map((b, i) => `${i / 10}:${b.n}:${b.n ? (b.conf / b.n).toFixed(2) : "-"}/${b.n ? (b.right / b.n).toFixed(2) : "-"}`).join(" "));
    }
    await layer.close();
    const metrics = measure(predictions, truth, THRESHOLD);
    metrics.coverage = coverageAtPrecision(predictions, truth, base.precision);
    results.push([`semantic ${variant}`, metrics, `${stats.calibrationSource} n=${stats.calibrationSamples}`]);
  }
  for (const [router, metrics, calibration] of results) {
    rows.push({ dataset, "per label": String(size), embedder: embedderName, router, calibration, test: String(test.length), ...format(metrics) });
  }
  const ours = results[1]![1];
  const wins = [
    ours.at50 >= base.at50 ? "acc@50 ok" : "acc@50 LOSS",
    ours.at80 >= base.at80 ? "acc@80 ok" : "acc@80 LOSS",
    ours.ece <= base.ece ? "ECE ok" : "ECE LOSS",
    ours.precision >= THRESHOLD ? "precision@0.7 ok" : "precision@0.7 LOSS",
    (ours.coverage ?? 0) >= base.accepted ? "accepted at equal precision ok" : "accepted at equal precision LOSS",
  ];
  verdicts.push(`${dataset} ${size}/label ${embedderName}: ${wins.join(", ")} (acc@80 ${ours.at80.toFixed(3)} vs ${base.at80.toFixed(3)}, ratio ${(ours.at80 / base.at80).toFixed(3)})`);
}

async function main(): Promise<void> {
  const started = process.cpuUsage();
  const wall = performance.now();
  console.log(
    `load average at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${cpus().length} cores`,
  );
  let use: ReturnType<typeof diskMemo> | undefined;
  if (wanted.some((name) => name.includes("use"))) {
    try {
      const { useEmbedder } = await import("@moe-router/embeddings-use");
      use = diskMemo(await useEmbedder());
    } catch (error) {
      console.log(`USE lite skipped: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  for (const dataset of (process.env.COLDSTART_DATASETS ?? "banking77,hwu64").split(",") as ("banking77" | "hwu64")[]) {
    const path = fullDatasetPath(dataset);
    if (!path) {
      console.log(`${dataset}: not found under $MOE_DATASETS_DIR or ../shared/datasets; skipped.`);
      continue;
    }
    const all = readDataset(path);
    const { pool, validation } = pools(split(all, "train"));
    const fullTest = split(all, "test");
    const test = testLimit > 0 && testLimit < fullTest.length ? seededSample(fullTest, testLimit, 11) : fullTest;
    for (const size of SIZES) {
      const exemplars: LabelledExample[] = [...pool].flatMap(([label, texts]) => texts.slice(0, size).map((text) => ({ text, expert: label })));
      const hashed = hashedEmbedder();
      hashed.fitIdf(exemplars.map((e) => e.text));
      const embedders: [string, Embedder][] = [["hashed", hashed]];
      if (use) embedders.push(["use", use], ["hashed+use", combinedEmbedder([hashed, use], { weights: [fusion, 1 - fusion] })]);
      for (const [name, embedder] of embedders) if (wanted.includes(name)) await runOne(dataset, size, name, embedder, exemplars, validation, test);
    }
    use?.save();
  }
  await use?.close?.();
  printTable(rows);
  for (const line of verdicts) console.log(line);
  const cpu = process.cpuUsage(started);
  console.log(
    `wall ${((performance.now() - wall) / 1000).toFixed(0)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s, load average at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  console.log("accepted@base precision: the share our layer accepts (highest confidence first) at the precision the cosine router reached on test - the like-for-like comparison of accepted share.");
}

await main();
