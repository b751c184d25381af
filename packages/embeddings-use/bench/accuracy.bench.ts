/**
 * Embedder-level accuracy and latency of Universal Sentence Encoder lite on the full
 * BANKING77 and HWU64 datasets (nearest centroid and 1-NN over train -> test), and its
 * per-text latency alone and in batches. Slow (minutes: ~24k texts through a WASM model);
 * MOE_BENCH_LIMIT=<n> keeps about n rows per split (every k-th row, so all labels stay) for a quick look.
 * Run: `pnpm bench embeddings-use/bench/accuracy`.
 */
import { useEmbedder } from "../src/index.js";
import { evaluate, loadFull, printResults, type AccuracyResult } from "../../../tools/bench/embedder-eval.js";

const limit = Number(process.env.MOE_BENCH_LIMIT ?? Infinity);
const loadStart = performance.now();
const embedder = await useEmbedder({ maxBatchSize: 64 });
console.log(`model load: ${(performance.now() - loadStart).toFixed(0)} ms`);

// Latency: one text per call (what a router does per task) and batches (what indexing exemplars does).
const sentences = [
  "Fix authentication bug in login system",
  "Deploy API to production",
  "Check inventory levels for warehouse 3",
  "Refactor the payment service to use async handlers",
  "Rotate the database credentials after the security audit",
  "Why was my card declined at the supermarket yesterday?",
  "set an alarm for seven tomorrow morning",
  "The CI pipeline fails on the integration tests since Monday",
];
await embedder.embed(sentences); // warm-up
const latency: Record<string, string>[] = [];
for (const batch of [1, 8, 32, 64]) {
  const texts = Array.from({ length: batch }, (_, i) => `${sentences[i % sentences.length]} ${i}`);
  const rounds = batch === 1 ? 40 : 5;
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    await embedder.embed(texts);
    times.push(performance.now() - start);
  }
  const median = times.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
  latency.push({ "texts per call": String(batch), "ms per call (median)": median.toFixed(1), "ms per text": (median / batch).toFixed(2) });
}
console.table(latency);

const results: AccuracyResult[] = [];
for (const name of ["banking77", "hwu64"] as const) {
  const data = loadFull(name);
  if (!data) continue;
  const every = <T>(rows: T[]) => rows.filter((_, i) => i % Math.max(1, Math.ceil(rows.length / limit)) === 0);
  const sample = { train: every(data.train), test: every(data.test) };
  results.push(await evaluate(embedder, name, sample));
}
printResults(embedder.id, results);
await embedder.close();
