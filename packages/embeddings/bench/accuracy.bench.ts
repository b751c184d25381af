/**
 * Embedder-level accuracy of the hashed embedder on the full BANKING77 and HWU64 datasets:
 * nearest centroid and 1-NN over the train split, scored on the test split, with IDF fitted
 * on the train texts. Run: `pnpm bench embeddings/bench/accuracy`.
 */
import { hashedEmbedder } from "../src/index.js";
import { evaluate, loadFull, printResults, type AccuracyResult } from "../../../tools/bench/embedder-eval.js";

const results: AccuracyResult[] = [];
let id = "";
for (const name of ["banking77", "hwu64"] as const) {
  const data = loadFull(name);
  if (!data) continue;
  const embedder = hashedEmbedder();
  embedder.fitIdf(data.train.map((row) => row.text));
  id = embedder.id.replace(/:idf[0-9a-f]+$/, ":idf<train>");
  results.push(await evaluate(embedder, name, data));
}
printResults(id, results);
