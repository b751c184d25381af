// One measured run of the analysis, in its own process so that peak memory (VmHWM, which
// counts worker threads too) belongs to this run alone. Runs the built package (dist), as
// the installed CLI does. Usage: node analyze-child.mjs jsonl|jsonl:<threads>|cached|store <log.jsonl>
// (jsonl modes parse the whole log, cache: false; cached uses the columnar analysis cache)
import { readFileSync } from "node:fs";
import { analyzeJsonlDetailed, analyzeStore, jsonlStore } from "../dist/index.js";

const [mode, path] = process.argv.slice(2);
const started = performance.now();
const cpu = process.cpuUsage();
let report,
  workers = 1,
  cache;
if (mode === "store") {
  const store = jsonlStore({ path });
  report = await analyzeStore(store);
  await store.close();
} else if (mode === "cached") {
  ({ report, workers, cache } = await analyzeJsonlDetailed(path));
} else {
  const threads = mode.startsWith("jsonl:") ? Number(mode.slice(6)) : undefined;
  ({ report, workers } = await analyzeJsonlDetailed(path, { cache: false, ...(threads ? { workers: threads } : {}) }));
}
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const status = readFileSync("/proc/self/status", "utf8");
const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
console.log(
  JSON.stringify({ seconds, cpuSeconds: (used.user + used.system) / 1e6, peakMiB: peakKiB / 1024, decisions: report.overall.decisions, outcomes: report.overall.withOutcome, workers, cache }),
);
