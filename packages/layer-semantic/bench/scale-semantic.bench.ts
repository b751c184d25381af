/**
 * The semantic layer at scale: 50,000 exemplars (BANKING77 + HWU64 train splits topped up
 * with seeded recombinations, 141 experts), hashed embedder. Prints route latency with the
 * inverted lists against the exact column scan (alternated rounds, same process), whether
 * their verdicts are identical, and first / second start-up with a vector file.
 *
 *   pnpm bench scale-semantic           (MOE_SCALE_EXEMPLARS=20000 for another size)
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { isDeepStrictEqual } from "node:util";
import type { Verdict } from "@moe-router/core";
import { hashedEmbedder } from "@moe-router/embeddings";
import { semanticLayer, type SemanticLayer } from "../src/index.js";
import { setListSearch } from "../src/internal/scoring.js";
import { percentile, printTable, seededSample } from "./metrics.js";
import { scaleData } from "./scale-support.js";

const SIZE = Number(process.env.MOE_SCALE_EXEMPLARS ?? 50_000);
const TASKS = 300;
const ROUNDS = 3;
const context = { eventId: "bench" };

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

async function timed(body: () => Promise<unknown> | unknown): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await body();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

function routeAll(layer: SemanticLayer, tasks: readonly string[], wall: number[], cpu: number[]): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const description of tasks) {
    const usage = process.cpuUsage();
    const started = performance.now();
    verdicts.push(layer.route({ description }, context) as Verdict);
    wall.push(performance.now() - started);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
  }
  return verdicts;
}

async function main(): Promise<void> {
  const data = scaleData(SIZE);
  if (!data) {
    console.log("banking77 / hwu64 not found under $MOE_DATASETS_DIR or ../shared/datasets; skipped.");
    return;
  }
  const fitted = () => {
    const embedder = hashedEmbedder();
    embedder.fitIdf(data.texts);
    return embedder;
  };
  const directory = mkdtempSync(join(tmpdir(), "moe-semantic-scale-"));
  const persistPath = join(directory, "semantic.vectors");
  const options = { experts: data.experts, persistPath };
  try {
    console.log(
      `${data.texts.length} exemplars, ${Object.keys(data.experts).length} experts, load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );
    const firstEmbedder = fitted();
    let layer = semanticLayer({ ...options, embedder: firstEmbedder });
    const first = await timed(() => layer.ready());
    await layer.close();
    const seconds: Timing[] = [];
    for (let run = 0; run < 3; run++) {
      const embedder = fitted(); // the IDF fit is the host's, before the layer: not timed
      layer = semanticLayer({ ...options, embedder });
      seconds.push(await timed(() => layer.ready()));
      if (run < 2) await layer.close();
    }
    const restored = layer.stats().calibrationRestored;
    const tasks = seededSample(data.tasks, TASKS, 11);
    routeAll(layer, tasks.slice(0, 20), [], []); // warm-up of both paths
    setListSearch(false);
    routeAll(layer, tasks.slice(0, 20), [], []);
    const lists = { wall: [] as number[], cpu: [] as number[] };
    const scan = { wall: [] as number[], cpu: [] as number[] };
    let identical = 0;
    let sameExpert = 0;
    for (let round = 0; round < ROUNDS; round++) {
      setListSearch(true);
      const a = routeAll(layer, tasks, lists.wall, lists.cpu);
      setListSearch(false);
      const b = routeAll(layer, tasks, scan.wall, scan.cpu);
      if (round === 0) {
        a.forEach((verdict, i) => {
          if (isDeepStrictEqual(verdict, b[i])) identical++;
          if (verdict.expert === b[i]!.expert) sameExpert++;
        });
      }
    }
    setListSearch(true);
    await layer.close();
    const ms = (value: number) => value.toFixed(2);
    const ratio = (ours: number, peer: number) => `${(ours / peer).toFixed(3)}x`;
    printTable([
      { what: "route p50 wall (ms)", lists: ms(percentile(lists.wall, 0.5)), "exact scan": ms(percentile(scan.wall, 0.5)), ratio: ratio(percentile(lists.wall, 0.5), percentile(scan.wall, 0.5)) },
      { what: "route p99 wall (ms)", lists: ms(percentile(lists.wall, 0.99)), "exact scan": ms(percentile(scan.wall, 0.99)), ratio: ratio(percentile(lists.wall, 0.99), percentile(scan.wall, 0.99)) },
      { what: "route p50 CPU (ms)", lists: ms(percentile(lists.cpu, 0.5)), "exact scan": ms(percentile(scan.cpu, 0.5)), ratio: ratio(percentile(lists.cpu, 0.5), percentile(scan.cpu, 0.5)) },
    ]);
    console.log(`verdicts identical to the exact scan (expert, confidence, all probabilities, details): ${identical}/${tasks.length}; same expert ${sameExpert}/${tasks.length}`);
    const median = (values: Timing[], key: keyof Timing) =>
      percentile(
        values.map((t) => t[key]),
        0.5,
      );
    printTable([
      { start: "first (embed all, self-calibrate, write file)", "wall ms": first.wall.toFixed(0), "CPU ms": first.cpu.toFixed(0) },
      { start: "second (vector file + persisted calibration), median of 3", "wall ms": median(seconds, "wall").toFixed(0), "CPU ms": median(seconds, "cpu").toFixed(0) },
    ]);
    console.log(
      `second start restored the calibration: ${restored}; vector file ${(statSync(persistPath).size / 1e6).toFixed(0)} MB; load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
