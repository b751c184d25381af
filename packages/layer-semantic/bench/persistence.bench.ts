/**
 * What persistence buys: start-up with and without the vector file, and the cost of one
 * learn() (embedding + atomic file rewrite), on BANKING77's train split (10,003 exemplars)
 * with the hashed embedder. Plain timing, median of 5 runs each.
 *
 *   pnpm bench layer-semantic/bench/persistence
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { hashedEmbedder } from "@moe-router/embeddings";
import { fullDatasetPath, readDataset, split } from "../../../tools/datasets/load.js";
import { semanticLayer, type ExpertExemplars } from "../src/index.js";
import { percentile, printTable } from "./metrics.js";

const RUNS = 5;

async function timed(body: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await body();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const path = fullDatasetPath("banking77");
  if (!path) {
    console.log("banking77 not found under $MOE_DATASETS_DIR or ../shared/datasets; skipped.");
    return;
  }
  const train = split(readDataset(path), "train");
  const experts: Record<string, { exemplars: string[] }> = {};
  for (const row of train) (experts[row.label] ??= { exemplars: [] }).exemplars.push(row.text);
  const embedder = hashedEmbedder();
  embedder.fitIdf(train.map((row) => row.text));
  const directory = mkdtempSync(join(tmpdir(), "moe-semantic-bench-"));
  const persistPath = join(directory, "semantic.vectors");
  // Self-calibration is skipped (pinned parameters) so the figures isolate embedding and I/O.
  const options = { embedder, experts: experts as Record<string, ExpertExemplars>, calibration: { kind: "temperature" as const, temperature: 0.03 } };
  try {
    const cold: number[] = [];
    const warm: number[] = [];
    const learn: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      rmSync(persistPath, { force: true });
      cold.push(await timed(() => semanticLayer({ ...options, persistPath }).ready()));
      warm.push(await timed(() => semanticLayer({ ...options, persistPath }).ready()));
      const layer = semanticLayer({ ...options, persistPath });
      await layer.ready();
      learn.push(await timed(() => layer.learn([{ text: `I need to cancel transfer number ${run}`, expert: "cancel_transfer" }])));
      await layer.close();
    }
    const noFile: number[] = [];
    for (let run = 0; run < RUNS; run++) noFile.push(await timed(() => semanticLayer(options).ready()));
    const row = (what: string, values: number[]) => ({ what, "median ms": percentile(values, 0.5).toFixed(0), "max ms": Math.max(...values).toFixed(0) });
    printTable([
      row("start, no persistPath (embed 10,003 texts)", noFile),
      row("start, no file yet (embed + write file)", cold),
      row("restart from the file (nothing embedded)", warm),
      row("learn() one example (embed 1 + rewrite file)", learn),
    ]);
    console.log(`vector file: ${(statSync(persistPath).size / 1e6).toFixed(1)} MB for ${train.length + RUNS} texts x ${embedder.dimension} float32`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
