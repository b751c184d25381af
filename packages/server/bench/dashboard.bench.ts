/**
 * Cost of one dashboard refresh: `buildSnapshot` (the analyzer plus hourly and per-minute
 * series and the recent decisions, in one pass) over a JSONL log of N decisions in the last 24
 * hours, beside the peer `analyzeStore` (the tracker's analysis alone, the same read). One
 * computation serves every open page, at most once a second after local activity, so this is
 * the dashboard's whole load on the host. Medians of alternated runs, wall and CPU time.
 *
 * Run: pnpm bench dashboard   (MOE_BENCH_SIZES=10000,100000, MOE_BENCH_RUNS=5)
 */
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeStore, generateSampleRecords, jsonlStore } from "@moe-router/tracker";
import { buildSnapshot } from "../src/dashboard/snapshot.js";

const sizes = (process.env.MOE_BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const runs = Number(process.env.MOE_BENCH_RUNS ?? 5);
const now = Date.now();

async function logFor(count: number): Promise<string> {
  const dir = join(tmpdir(), "moe-dashboard-bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events-${count}-${new Date(now).toISOString().slice(0, 13)}.jsonl`);
  if (existsSync(`${path}.done`)) return path;
  const out = createWriteStream(path);
  for (const record of generateSampleRecords({ count, seed: 5, days: 1, end: new Date(now) })) {
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  writeFileSync(`${path}.done`, "");
  return path;
}

async function time(run: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(
  `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log("decisions | snapshot wall / CPU ms | analyzeStore (peer) wall / CPU ms | snapshot / peer");
for (const count of sizes) {
  const path = await logFor(count);
  const snapshot: { wall: number; cpu: number }[] = [];
  const peer: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternated, each on a fresh store, so neither profits from the other's warm caches more.
    const store = jsonlStore({ path });
    snapshot.push(await time(() => buildSnapshot(store, { windowHours: 24, recent: 10, descriptionChars: 200, now })));
    await store.close();
    const other = jsonlStore({ path });
    peer.push(await time(() => analyzeStore(other, { windowHours: 24, now })));
    await other.close();
  }
  const s = { wall: median(snapshot.map((r) => r.wall)), cpu: median(snapshot.map((r) => r.cpu)) };
  const p = { wall: median(peer.map((r) => r.wall)), cpu: median(peer.map((r) => r.cpu)) };
  console.log(`${count.toLocaleString("en-US")} | ${s.wall.toFixed(0)} / ${s.cpu.toFixed(0)} | ${p.wall.toFixed(0)} / ${p.cpu.toFixed(0)} | ${(s.wall / p.wall).toFixed(2)}x`);
}
