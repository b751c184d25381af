/**
 * Analysis throughput and memory: generates 100,000 and 1,000,000 sample events (the
 * tracker's generateSampleRecords, decisions plus outcomes, ~1.2 KB per event) into JSONL
 * logs under the temp directory (kept between runs; MOE_BENCH_FRESH=1 regenerates), then
 * times `analyzeJsonlDetailed` (the CLI's reader) and `analyzeStore(jsonlStore)` end to end,
 * each run in a child process on the built package, reporting wall and CPU seconds and peak
 * RSS (VmHWM). Targets: 100k < 0.5 s, 1M < 4 s, peak < 300 MB.
 *
 * Then the columnar analysis cache (`.analysis-cache/` beside each log): cold (cache deleted,
 * the analysis builds it), warm (cache up to date) and incremental (1 % more events appended:
 * only they are parsed; afterwards the log is truncated back and the saved cache restored, so
 * the sample logs stay as they were). MOE_BENCH_CACHE_ONLY=1 skips the uncached rows.
 *
 * Run: pnpm bench analyze   (builds packages/tracker first)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, rmSync, statSync, truncateSync, utimesSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSampleRecords } from "../src/index.js";
import { SAMPLE_END as END, sampleLog } from "./sample-log.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const sizes = (process.env.MOE_BENCH_SIZES ?? "100000,1000000").split(",").map(Number);
const runs = Number(process.env.MOE_BENCH_RUNS ?? 3);

const logFor = sampleLog;

interface Run {
  seconds: number;
  cpuSeconds: number;
  peakMiB: number;
  decisions: number;
  outcomes: number;
  workers: number;
  cache?: { rebuilt: number; extended: number; warm: number; parsedBytes: number };
}

function measure(mode: string, path: string): Run {
  const child = spawnSync(process.execPath, [join(here, "analyze-child.mjs"), mode, path], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`analyze-child ${mode} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as Run;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", join(root, "packages/tracker")], { stdio: "inherit" });
const rows: string[][] = [];
const cacheOnly = process.env.MOE_BENCH_CACHE_ONLY === "1";
const cachePath = (path: string) => join(dirname(path), ".analysis-cache", `${path.split("/").pop()}.cols`);

/** Cold, warm and incremental runs of the cached analysis (see the file's comment). */
function cachedRuns(path: string, count: number): [string, Run[]][] {
  rmSync(cachePath(path), { force: true });
  const cold = [measure("cached", path)];
  const warm = Array.from({ length: runs }, () => measure("cached", path));
  const saved = `${cachePath(path)}.bench-saved`;
  copyFileSync(cachePath(path), saved);
  const { size, atime, mtime } = statSync(path);
  const extra = [...generateSampleRecords({ count: Math.max(1, Math.round(count / 100)), seed: 12, days: 1, end: new Date(END.getTime() + 86_400_000) })];
  try {
    appendFileSync(path, `${extra.map((record) => JSON.stringify(record)).join("\n")}\n`);
    const incremental = [measure("cached", path)];
    return [
      ["cached: cold (builds the cache)", cold],
      ["cached: warm", warm],
      ["cached: +1 % appended", incremental],
    ];
  } finally {
    // Back to the sample log and its cache as they were, so the next run finds them warm.
    truncateSync(path, size);
    utimesSync(path, atime, mtime);
    copyFileSync(saved, cachePath(path));
    rmSync(saved, { force: true });
  }
}

for (const count of sizes) {
  const path = await logFor(count);
  const megabytes = statSync(path).size / 2 ** 20;
  const target = count <= 100_000 ? 0.5 : count <= 1_000_000 ? 4 : Number.POSITIVE_INFINITY;
  const uncached = cacheOnly
    ? []
    : (
        [
          ["jsonl", "analyzeJsonl, no cache (default threads)"],
          ["jsonl:2", "analyzeJsonl, no cache (2 threads)"],
          ["store", "analyzeStore(jsonlStore)"],
        ] as const
      ).map(([mode, label]) => [label, Array.from({ length: mode === "store" && count > 100_000 ? 1 : runs }, () => measure(mode, path))] as [string, Run[]]);
  for (const [label, results] of [...uncached, ...cachedRuns(path, count)]) {
    const wall = median(results.map((r) => r.seconds));
    const peak = Math.max(...results.map((r) => r.peakMiB));
    rows.push([
      count.toLocaleString("en-US"),
      megabytes.toFixed(0),
      label,
      String(results[0]!.workers),
      String(results.length),
      wall.toFixed(2),
      Math.min(...results.map((r) => r.seconds)).toFixed(2),
      median(results.map((r) => r.cpuSeconds)).toFixed(2),
      peak.toFixed(0),
      `${wall < target ? "yes" : "NO"} (<${target} s)`,
      `${peak < 300 ? "yes" : "NO"}`,
      results[0]!.decisions.toLocaleString("en-US"),
      results[0]!.cache ? (results[0]!.cache.parsedBytes / 2 ** 20).toFixed(1) : "all",
    ]);
  }
}
const header = ["events", "MB", "reader", "threads", "runs", "wall s (median)", "best s", "CPU s", "peak RSS MB", "time ok", "mem ok", "decisions read", "MB parsed"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
console.log(
  `\nnode ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of rows) console.log(line(row));
