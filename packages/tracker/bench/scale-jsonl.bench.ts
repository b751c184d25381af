/**
 * First read of a big JSONL log against DuckDB (issue #15): `analyzeJsonlDetailed` — what
 * `moe-router analyze --json` runs — on a log never analysed before (its `.analysis-cache/`
 * deleted first, so the analysis parses every line and builds the cache), and warm (the cache
 * up to date), next to a fresh DuckDB process reading the same JSONL with `read_json`:
 *
 * - "DuckDB analysis": read_json of the fields the analysis uses into a table, each decision
 *   joined to its latest outcome, per-layer and per-decision aggregates with latency quantiles
 *   (bench/duckdb-child.mjs);
 * - "DuckDB read": DuckDB's floor, one read_json pass into a single GROUP BY.
 *
 * Every measurement is its own child process (CPU = user + system of all its threads, peak =
 * VmHWM), the readers alternated round by round; medians are printed with the load average
 * before and after. Targets: cold CPU <= 1.0x DuckDB's, peak RSS < 300 MB.
 *
 * Run: pnpm bench scale-jsonl (MOE_BENCH_EVENTS=1000000, MOE_BENCH_RUNS=3; DuckDB uses every
 * CPU, MOE_BENCH_DUCKDB_THREADS to pin it). Builds packages/tracker first.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync, statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cachePathFor } from "../src/analysis/cache/cache-file.js";
import { sampleLog } from "./sample-log.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const count = Number(process.env.MOE_BENCH_EVENTS ?? 1_000_000);
const runs = Number(process.env.MOE_BENCH_RUNS ?? 3);
const duckThreads = process.env.MOE_BENCH_DUCKDB_THREADS;

interface Run {
  seconds: number;
  cpuSeconds: number;
  peakMiB: number;
  decisions: number;
  outcomes: number;
}

function child(script: string, args: string[]): Run {
  const result = spawnSync(process.execPath, [join(here, script), ...args], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${script} ${args.join(" ")} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as Run;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", join(root, "packages/tracker")], { stdio: "inherit" });
const path = await sampleLog(count);
const megabytes = statSync(path).size / 2 ** 20;
const loadBefore = load();
const readers = {
  "ours: cold (no cache: parses the log, builds the cache)": () => {
    rmSync(cachePathFor(path), { force: true });
    return child("analyze-child.mjs", ["cached", path]);
  },
  // Runs right after the cold run of its round, so the cache is up to date.
  "ours: warm (cache up to date)": () => child("analyze-child.mjs", ["cached", path]),
  "DuckDB analysis (read_json + join + aggregates)": () => child("duckdb-child.mjs", ["analysis", path, ...(duckThreads ? [duckThreads] : [])]),
  "DuckDB read (read_json into one GROUP BY)": () => child("duckdb-child.mjs", ["read", path, ...(duckThreads ? [duckThreads] : [])]),
};
type Reader = keyof typeof readers;
const results = new Map<Reader, Run[]>(Object.keys(readers).map((name) => [name as Reader, []]));
for (let round = 0; round < runs; round++) {
  for (const [name, run] of Object.entries(readers) as [Reader, () => Run][]) {
    const result = run();
    results.get(name)!.push(result);
    console.log(`round ${round + 1}: ${name}: ${result.cpuSeconds.toFixed(2)} s CPU, ${result.seconds.toFixed(2)} s wall, ${result.peakMiB.toFixed(0)} MB (load ${load()})`);
  }
}

const summary = (name: Reader) => {
  const all = results.get(name)!;
  return { cpu: median(all.map((r) => r.cpuSeconds)), wall: median(all.map((r) => r.seconds)), peak: Math.max(...all.map((r) => r.peakMiB)), decisions: all[0]!.decisions };
};
const duckAnalysis = summary("DuckDB analysis (read_json + join + aggregates)");
const duckRead = summary("DuckDB read (read_json into one GROUP BY)");
console.log(
  `\n${count.toLocaleString("en-US")} events (${megabytes.toFixed(0)} MB JSONL), ${runs} alternated runs each; node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}); load average ${loadBefore} before, ${load()} after`,
);
const header = ["reader", "CPU s", "wall s", "peak RSS MB", "CPU / DuckDB analysis", "CPU / DuckDB read", "RSS / DuckDB analysis", "decisions"];
const rows = (Object.keys(readers) as Reader[]).map((name) => {
  const s = summary(name);
  return [
    name,
    s.cpu.toFixed(2),
    s.wall.toFixed(2),
    s.peak.toFixed(0),
    `${(s.cpu / duckAnalysis.cpu).toFixed(2)}x`,
    `${(s.cpu / duckRead.cpu).toFixed(2)}x`,
    `${(s.peak / duckAnalysis.peak).toFixed(2)}x`,
    s.decisions.toLocaleString("en-US"),
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of rows) console.log(line(row));
const cold = summary("ours: cold (no cache: parses the log, builds the cache)");
console.log(
  `\ntargets: cold CPU <= 1.0x DuckDB analysis: ${cold.cpu <= duckAnalysis.cpu ? "yes" : "NO"} (${(cold.cpu / duckAnalysis.cpu).toFixed(2)}x; vs DuckDB's read floor ${(cold.cpu / duckRead.cpu).toFixed(2)}x); peak RSS < 300 MB: ${cold.peak < 300 ? "yes" : "NO"} (${cold.peak.toFixed(0)} MB)`,
);
