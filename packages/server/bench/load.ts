/**
 * Closed-loop load generator for the serve benchmark: `connections` workers each send one
 * request, wait for the answer, send the next, until `count` requests or `maxMs` elapsed.
 * Latency per request is measured on the client (performance.now), so it includes the
 * HTTP round trip, the route and the durable acknowledgement.
 */
import { performance } from "node:perf_hooks";

/** What one load run measured. */
export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Client CPU seconds (user + system) during the run. */
  readonly clientCpuSeconds: number;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly connections: number;
  readonly count: number;
  readonly maxMs: number;
  /** One request; resolves when the answer is consumed; rejects or returns false on failure. */
  readonly send: (i: number) => Promise<boolean>;
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Runs the closed loop; bounded by count and time. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies = new Float64Array(options.count);
  let next = 0;
  let done = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.maxMs;
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (next < options.count && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await options.send(i);
      } catch {
        ok = false;
      }
      latencies[done++] = performance.now() - t0;
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const sorted = latencies.slice(0, done).sort();
  return {
    requests: done,
    errors,
    seconds,
    perSecond: done / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    clientCpuSeconds: (used.user + used.system) / 1e6,
  };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
export function processCpuSeconds(pid: number, readText: (path: string) => string): number | undefined {
  try {
    const fields = readText(`/proc/${pid}/stat`).split(") ")[1]!.split(" ");
    // utime and stime are fields 14 and 15 of stat; after the "(comm) " split they are 12 and 13 (1-based: 3rd field is state).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
