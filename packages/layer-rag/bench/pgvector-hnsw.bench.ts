/**
 * pgvector inside PGlite: exact search (no index) against an HNSW index on the same items.
 * A seeded 3,000-item sample of HWU64 train is indexed (HNSW inserts are slow in PGlite),
 * 200 test tasks are routed; reports insert time, route latency and accuracy for each.
 *
 * Run: pnpm bench pgvector-hnsw   (needs ../shared/datasets or $MOE_DATASETS_DIR)
 */
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { hashedEmbedder } from "@moe-router/embeddings";
import { fullDatasetPath, readDataset, split } from "../../../tools/datasets/load.js";
import { pgvectorStore, ragLayer } from "../src/index.js";
import { seededRandom } from "@moe-router/core";

const path = fullDatasetPath("hwu64");
if (!path) {
  console.log("HWU64 not found: set MOE_DATASETS_DIR");
} else {
  const rows = readDataset(path);
  const random = seededRandom(42);
  const shuffle = <T>(items: readonly T[]) =>
    items
      .map((item) => [random(), item] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, item]) => item);
  const indexed = shuffle(split(rows, "train"))
    .slice(0, 3000)
    .map((r) => ({ text: r.text, expert: r.label }));
  const test = shuffle(split(rows, "test")).slice(0, 200);
  const embedder = hashedEmbedder();
  embedder.fitIdf(indexed.map((e) => e.text));
  const lines = ["| pgvector index | insert 3,000 | route median / p99 | accuracy (200 tasks) |", "|---|---|---|---|"];
  for (const [label, index] of [
    ["none (exact)", "none"],
    ["HNSW m=16 ef_construction=64, ef_search=40", { kind: "hnsw" }],
  ] as const) {
    const database = new PGlite({ extensions: { vector } });
    const layer = ragLayer({ embedder, store: pgvectorStore({ client: database, dimension: embedder.dimension, index: index }) });
    let started = performance.now();
    await layer.learn(indexed);
    const insertSeconds = (performance.now() - started) / 1000;
    const times: number[] = [];
    let right = 0;
    for (const row of test) {
      started = performance.now();
      const verdict = await layer.route({ description: row.text }, { eventId: "bench" });
      times.push(performance.now() - started);
      if (verdict.expert === row.label) right++;
    }
    times.sort((a, b) => a - b);
    lines.push(`| ${label} | ${insertSeconds.toFixed(1)} s | ${times[100]!.toFixed(2)} ms / ${times[197]!.toFixed(2)} ms | ${((100 * right) / test.length).toFixed(1)}% |`);
    await layer.close();
    await database.close();
  }
  console.log(lines.join("\n"));
}
