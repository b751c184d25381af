/**
 * transformers.js adapter: latency on the tiny generated model (always), and accuracy on
 * BANKING77 / HWU64 when a real sentence-transformers ONNX export is on disk:
 *   MOE_TRANSFORMERS_MODEL_DIR=/models/all-MiniLM-L6-v2 pnpm bench embeddings-transformers
 * No weights can be downloaded on the machine this was written on, so the tiny model's
 * figures measure the adapter (tokenise, ONNX Runtime call, pooling), not a real encoder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transformersEmbedder } from "../src/index.js";
import { writeTinyModel } from "../test/support/tiny-model.js";
import { evaluate, loadFull, printResults, type AccuracyResult } from "../../../tools/bench/embedder-eval.js";

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

async function latencyTable(modelDir: string, label: string): Promise<void> {
  const loadStart = performance.now();
  const embedder = await transformersEmbedder({ modelDir });
  console.log(`${label}: load ${(performance.now() - loadStart).toFixed(0)} ms, id ${embedder.id}`);
  await embedder.embed(sentences); // warm-up
  const rows: Record<string, string>[] = [];
  for (const batch of [1, 8, 32]) {
    const texts = Array.from({ length: batch }, (_, i) => sentences[i % sentences.length]!);
    const rounds = batch === 1 ? 200 : 50;
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const start = performance.now();
      await embedder.embed(texts);
      times.push(performance.now() - start);
    }
    const median = times.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
    rows.push({ model: label, "texts per call": String(batch), "ms per call (median)": median.toFixed(3), "ms per text": (median / batch).toFixed(3) });
  }
  console.table(rows);
  await embedder.close();
}

const root = mkdtempSync(join(tmpdir(), "moe-transformers-bench-"));
try {
  await latencyTable(writeTinyModel(join(root, "tiny-bert")).dir, "tiny generated BERT (hidden 8, no attention)");
} finally {
  rmSync(root, { recursive: true, force: true });
}

const realModel = process.env.MOE_TRANSFORMERS_MODEL_DIR;
if (!realModel) {
  console.log("(accuracy skipped: set MOE_TRANSFORMERS_MODEL_DIR to a sentence-transformers ONNX export to measure it)");
} else {
  await latencyTable(realModel, realModel);
  const embedder = await transformersEmbedder({ modelDir: realModel, maxBatchSize: 64 });
  const results: AccuracyResult[] = [];
  for (const name of ["banking77", "hwu64"] as const) {
    const data = loadFull(name);
    if (data) results.push(await evaluate(embedder, name, data));
  }
  printResults(embedder.id, results);
  await embedder.close();
}
