/**
 * Analysis throughput and memory: generates 100,000 and 1,000,000 sample events (the
 * tracker's generateSampleRecords, decisions plus outcomes, ~1.2 KB per event) into JSONL
 * logs under the temp directory (kept between runs; MOE_BENCH_FRESH=1 regenerates), then
 * times `analyzeJsonlDetailed` (the CLI's reader) and `analyzeStore(jsonlStore)` end to end,
 * each run in a child process on the built package, reporting wall and CPU seconds and peak
 * RSS (VmHWM). Targets: 100k < 0.5 s, 1M < 4 s, peak < 300 MB.
 *
 * Run: pnpm bench analyze   (builds packages/tracker first)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSampleRecords } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const sizes = (process.env.MOE_BENCH_SIZES ?? "100000,1000000").split(",").map(Number);
const runs = Number(process.env.MOE_BENCH_RUNS ?? 3);
const END = new Date("2026-01-01T00:00:00.000Z");

/** Writes `count` sample decisions (and their outcomes) once; later runs reuse the file. */
async function logFor(count: number): Promise<string> {
  const dir = join(tmpdir(), "moe-analyze-bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events-${count}.jsonl`);
  const done = `${path}.done`;
  if (existsSync(done) && !process.env.MOE_BENCH_FRESH) return path;
  const started = performance.now();
  const out = createWriteStream(path);
  let batch: string[] = [];
  for (const record of generateSampleRecords({ count, seed: 11, days: 60, end: END })) {
    batch.push(JSON.stringify(record));
    if (batch.length === 2000) {
      if (!out.write(`${batch.join("\n")}\n`)) await once(out, "drain");
      batch = [];
    }
  }
  if (batch.length) out.write(`${batch.join("\n")}\n`);
  out.end();
  await once(out, "finish");
  writeFileSync(done, "");
  console.log(`generated ${count.toLocaleString("en-US")} events in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${path}`);
  return path;
}

interface Run { seconds: number; cpuSeconds: number; peakMiB: number; decisions: number; outcomes: number; workers: number }

function measure(mode: string, path: string): Run {
  const child = spawnSync(process.execPath, [join(here, "analyze-child.mjs"), mode, path], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`analyze-child ${mode} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as Run;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", join(root, "packages/tracker")], { stdio: "inherit" });
const rows: string[][] = [];
for (const count of sizes) {
  const path = await logFor(count);
  const megabytes = statSync(path).size / 2 ** 20;
  const target = count <= 100_000 ? 0.5 : count <= 1_000_000 ? 4 : Number.POSITIVE_INFINITY;
  for (const [mode, label] of [["jsonl", "analyzeJsonl (default threads)"], ["jsonl:2", "analyzeJsonl (2 threads)"], ["store", "analyzeStore(jsonlStore)"]] as const) {
    const results = Array.from({ length: mode === "store" && count > 100_000 ? 1 : runs }, () => measure(mode, path));
    const wall = median(results.map((r) => r.seconds));
    const peak = Math.max(...results.map((r) => r.peakMiB));
    rows.push([
      count.toLocaleString("en-US"), megabytes.toFixed(0), label, String(results[0]!.workers), String(results.length), wall.toFixed(2), Math.min(...results.map((r) => r.seconds)).toFixed(2),
      median(results.map((r) => r.cpuSeconds)).toFixed(2), peak.toFixed(0), `${wall < target ? "yes" : "NO"} (<${target} s)`, `${peak < 300 ? "yes" : "NO"}`,
      results[0]!.decisions.toLocaleString("en-US"),
    ]);
  }
}
const header = ["events", "MB", "reader", "threads", "runs", "wall s (median)", "best s", "CPU s", "peak RSS MB", "time ok", "mem ok", "decisions read"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
console.log(`\nnode ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of rows) console.log(line(row));
