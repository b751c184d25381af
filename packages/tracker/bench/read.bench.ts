/**
 * Write and read throughput of the JSONL store on generated sample events (30 days),
 * and the peak memory of a read, each read measured in a fresh process.
 *
 *   pnpm bench tracker/bench/read          (SIZES=100000,1000000 by default)
 *
 * Targets: 1,000,000 events readable with peak RSS < 300 MB; 100k events read fast enough
 * for the analysis (< 0.5 s with its stats) and 1M in < 4 s.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSampleRecords, jsonlStore } from "@moe-router/tracker";

const END = new Date("2026-11-20T00:00:00Z");
const DAYS = 30;

interface ReadResult {
  readonly ms: number;
  /** CPU time of all threads: steadier than wall time on a busy machine. */
  readonly cpuMs: number;
  readonly events: number;
  readonly outcomes: number;
  readonly peakRssMB: number;
}

/** Child mode: one read in a fresh process, so its peak RSS is its own. */
async function child(path: string, mode: string): Promise<void> {
  const store = jsonlStore({ path });
  const started = performance.now();
  const cpu = process.cpuUsage();
  let events = 0;
  let outcomes = 0;
  if (mode === "full" || mode === "last-7-days") {
    const options = mode === "full" ? {} : { since: new Date(END.getTime() - 7 * 86_400_000) };
    for await (const event of store.read(options)) {
      events++;
      if (event.outcome) outcomes++;
    }
  } else if (mode === "recent-20") {
    for (const event of await store.recentEvents(20)) {
      events++;
      if (event.outcome) outcomes++;
    }
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const result: ReadResult = { ms, cpuMs: (used.user + used.system) / 1000, events, outcomes, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
}

async function generate(path: string, count: number): Promise<{ ms: number; cpuMs: number; records: number }> {
  const store = jsonlStore({ path });
  const started = performance.now();
  const cpu = process.cpuUsage();
  let records = 0;
  for (const record of generateSampleRecords({ count, seed: 1, days: DAYS, end: END })) {
    store.append(record);
    if (++records % 5_000 === 0) await store.flush();
  }
  await store.close();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, records };
}

function measure(path: string, mode: string): ReadResult {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ["--import", "tsx", "--conditions=moe-router-source", self, "--child", path, mode], { encoding: "utf8", maxBuffer: 2 ** 20 });
  if (run.status !== 0) throw new Error(`read child failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ReadResult;
}

async function main(): Promise<void> {
  const sizes = (process.env.SIZES ?? "100000,1000000").split(",").map(Number);
  const dir = mkdtempSync(join(tmpdir(), "moe-bench-read-"));
  const writes: Record<string, string | number>[] = [];
  const reads: Record<string, string | number>[] = [];
  try {
    for (const count of sizes) {
      const path = join(dir, `events-${count}.jsonl`);
      const written = await generate(path, count);
      const bytes = statSync(path).size;
      writes.push({
        decisions: count,
        "records (with outcomes)": written.records,
        "file MiB": (bytes / 2 ** 20).toFixed(1),
        "generate+write s": (written.ms / 1000).toFixed(2),
        "CPU s": (written.cpuMs / 1000).toFixed(2),
        "records/s": Math.round(written.records / (written.ms / 1000)),
      });
      for (const mode of ["full", "last-7-days", "recent-20"]) {
        const result = measure(path, mode);
        reads.push({
          decisions: count,
          read: mode,
          events: result.events,
          "with outcome": result.outcomes,
          "time s": (result.ms / 1000).toFixed(3),
          "CPU s": (result.cpuMs / 1000).toFixed(3),
          "events/s": Math.round(result.events / (result.ms / 1000)),
          "peak RSS MB": result.peakRssMB.toFixed(0),
        });
      }
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`JSONL store, generated sample events over ${DAYS} days, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  console.log("\nwrite (generateSampleRecords -> jsonlStore.append, flush every 5,000):");
  console.table(writes);
  console.log("\nread (each in a fresh process; peak RSS includes Node + tsx, about 60-80 MB):");
  console.table(reads);
}

if (process.argv[2] === "--child") await child(process.argv[3]!, process.argv[4]!);
else await main();
