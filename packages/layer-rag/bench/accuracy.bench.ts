/**
 * Accuracy, calibration and latency of the RAG layer on the full BANKING77 and HWU64 sets.
 *
 * Per dataset: a stratified, seeded 10% of train is the calibration split; the other 90% is
 * indexed (learn()); the test split is routed. Reports accuracy, accuracy at 50% / 80%
 * coverage (the most confident share of tasks), ECE, and per-route latency (embed + query +
 * vote) with the hashed embedder on the embedded store, then the same on pgvector inside
 * PGlite for a subsample of test tasks. A last table measures brute-force query time of the
 * embedded store alone at 10k and 20k items.
 *
 * Run: pnpm bench layer-rag   (needs ../shared/datasets or $MOE_DATASETS_DIR)
 */
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { expectedCalibrationError, type LabelledExample, seededRandom } from "@moe-router/core";
import { hashedEmbedder } from "@moe-router/embeddings";
import { fullDatasetPath, readDataset, split, type DatasetRow } from "../../../tools/datasets/load.js";
import { embeddedStore, pgvectorStore, ragLayer, type RagLayer } from "../src/index.js";

const SEED = 42;
const PGLITE_SAMPLE = 300;

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  return items
    .map((item) => [random(), item] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, item]) => item);
}

/** A seeded stratified split: `share` of each label's rows (at least one) go to the first part. */
function stratified(rows: readonly DatasetRow[], share: number, seed: number): [DatasetRow[], DatasetRow[]] {
  const random = seededRandom(seed);
  const byLabel = new Map<string, DatasetRow[]>();
  for (const row of rows) (byLabel.get(row.label) ?? byLabel.set(row.label, []).get(row.label)!).push(row);
  const first: DatasetRow[] = [];
  const rest: DatasetRow[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const group = shuffle(byLabel.get(label)!, random);
    const n = Math.max(1, Math.round(group.length * share));
    first.push(...group.slice(0, n));
    rest.push(...group.slice(n));
  }
  return [first, rest];
}

const toExamples = (rows: readonly DatasetRow[]): LabelledExample[] => rows.map((r) => ({ text: r.text, expert: r.label, source: "dataset" }));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

interface Evaluation {
  accuracy: number;
  at50: number;
  at80: number;
  ece: number;
  median: number;
  p99: number;
  correct: boolean[];
}

async function evaluate(layer: RagLayer, test: readonly DatasetRow[]): Promise<Evaluation> {
  for (const row of test.slice(0, 30)) await layer.route({ description: row.text }, { eventId: "warm-up" });
  const times: number[] = [];
  const results: { confidence: number; correct: boolean }[] = [];
  for (const row of test) {
    const started = performance.now();
    const verdict = await layer.route({ description: row.text }, { eventId: "bench" });
    times.push(performance.now() - started);
    results.push({ confidence: verdict.confidence, correct: verdict.expert === row.label });
  }
  const correct = results.map((r) => r.correct);
  const ranked = [...results].sort((a, b) => b.confidence - a.confidence);
  const atCoverage = (coverage: number) => {
    const n = Math.round(ranked.length * coverage);
    return ranked.slice(0, n).filter((r) => r.correct).length / n;
  };
  times.sort((a, b) => a - b);
  return {
    accuracy: correct.filter(Boolean).length / correct.length,
    at50: atCoverage(0.5),
    at80: atCoverage(0.8),
    ece: expectedCalibrationError(
      results.map((r) => r.confidence),
      correct,
    ),
    median: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    correct,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function dataset(name: "banking77" | "hwu64"): Promise<string[]> {
  const path = fullDatasetPath(name);
  if (!path) return [`| ${name} | (not found: set MOE_DATASETS_DIR) | | | | | | |`];
  const rows = readDataset(path);
  const [calibration, indexed] = stratified(split(rows, "train"), 0.1, SEED);
  const test = split(rows, "test");
  const embedder = hashedEmbedder();
  embedder.fitIdf(indexed.map((r) => r.text)); // unlabelled text of the indexed split only

  const layer = ragLayer({ embedder, store: embeddedStore({ dimension: embedder.dimension, embedderId: embedder.id }) });
  let started = performance.now();
  await layer.learn(toExamples(indexed));
  const indexSeconds = (performance.now() - started) / 1000;
  const report = await layer.calibrate(toExamples(calibration));
  const embedded = await evaluate(layer, test);
  const sample = shuffle(test, seededRandom(SEED)).slice(0, PGLITE_SAMPLE);
  const embeddedOnSample = await evaluate(layer, sample);
  await layer.close();

  // pgvector in PGlite: same index, a seeded subsample of the test tasks.
  const database = new PGlite({ extensions: { vector } });
  const pgLayer = ragLayer({ embedder, calibration: report.parameters, store: pgvectorStore({ client: database, dimension: embedder.dimension, embedderId: embedder.id }) });
  started = performance.now();
  await pgLayer.learn(toExamples(indexed));
  const pgIndexSeconds = (performance.now() - started) / 1000;
  const pg = await evaluate(pgLayer, sample);
  await pgLayer.close();
  await database.close();

  const embedTimes: number[] = [];
  for (const row of test) {
    const t0 = performance.now();
    embedder.embed([row.text]);
    embedTimes.push(performance.now() - t0);
  }
  embedTimes.sort((a, b) => a - b);
  console.log(`${name}: embedding alone (hashed, 1 text): median ${ms(percentile(embedTimes, 0.5))}, p99 ${ms(percentile(embedTimes, 0.99))}`);
  console.log(
    `${name}: indexed ${indexed.length} in ${indexSeconds.toFixed(1)} s (embedded), ${pgIndexSeconds.toFixed(1)} s (PGlite); calibration n=${calibration.length}, Platt a=${report.parameters.a.toFixed(2)} b=${report.parameters.b.toFixed(2)}, ECE on calibration ${report.eceBefore.toFixed(3)} -> ${report.eceAfter.toFixed(3)}`,
  );
  return [
    `| ${name} | embedded | ${indexed.length} / ${test.length} | ${pct(embedded.accuracy)} | ${pct(embedded.at50)} | ${pct(embedded.at80)} | ${embedded.ece.toFixed(3)} | ${ms(embedded.median)} / ${ms(embedded.p99)} |`,
    `| ${name} | embedded, same sample | ${indexed.length} / ${sample.length} sampled | ${pct(embeddedOnSample.accuracy)} | ${pct(embeddedOnSample.at50)} | ${pct(embeddedOnSample.at80)} | ${embeddedOnSample.ece.toFixed(3)} | ${ms(embeddedOnSample.median)} / ${ms(embeddedOnSample.p99)} |`,
    `| ${name} | pgvector (PGlite) | ${indexed.length} / ${sample.length} sampled | ${pct(pg.accuracy)} | ${pct(pg.at50)} | ${pct(pg.at80)} | ${pg.ece.toFixed(3)} | ${ms(pg.median)} / ${ms(pg.p99)} |`,
  ];
}

/** Query time of the embedded store alone (no embedding), at 10k and 20k real or dense vectors. */
async function storeScaling(): Promise<string[]> {
  const texts = (["banking77", "hwu64"] as const).flatMap((name) => {
    const path = fullDatasetPath(name);
    return path ? readDataset(path).map((r) => r.text) : [];
  });
  if (texts.length < 20_000) return ["| (datasets not found) | | | |"];
  const embedder = hashedEmbedder();
  embedder.fitIdf(texts);
  const hashed = embedder.embed(texts);
  const random = seededRandom(SEED);
  const dense = Array.from({ length: 20_200 }, () => Float32Array.from({ length: 384 }, () => random() - 0.5));
  const lines: string[] = [];
  for (const [label, vectors] of [
    ["hashed, 1024-d (sparse)", hashed],
    ["dense random, 384-d", dense],
  ] as const) {
    for (const size of [10_000, 20_000]) {
      const store = embeddedStore({ dimension: vectors[0]!.length });
      await store.upsert(vectors.slice(0, size).map((v, i) => ({ id: `i${i}`, vector: v, expert: "x", text: "", source: "task" as const })));
      const queries = vectors.slice(size, size + 200);
      for (const q of queries.slice(0, 20)) await store.query(q, 8);
      const times: number[] = [];
      for (const q of queries) {
        const started = performance.now();
        await store.query(q, 8);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      lines.push(`| ${label} | ${size.toLocaleString("en")} | ${ms(percentile(times, 0.5))} / ${ms(percentile(times, 0.99))} | ${((size * vectors[0]!.length * 4) / 2 ** 20).toFixed(0)} MiB |`);
      await store.close();
    }
  }
  return lines;
}

const table = ["| dataset | store | indexed / routed | accuracy | acc @ 50% cov. | acc @ 80% cov. | ECE | route median / p99 |", "|---|---|---|---|---|---|---|---|"];
for (const name of ["banking77", "hwu64"] as const) table.push(...(await dataset(name)));
const { loadavg, cpus } = await import("node:os");
console.log(
  `\nmachine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} at the end of the run`,
);
console.log("\nRAG layer (hashed embedder with IDF, k=8, softmax tau=0.1, share-similarity + Platt):");
console.log(table.join("\n"));
console.log("\nEmbedded store, brute-force top-8 query only (200 queries):");
console.log(["| vectors | items | query median / p99 | matrix size |", "|---|---|---|---|", ...(await storeScaling())].join("\n"));
