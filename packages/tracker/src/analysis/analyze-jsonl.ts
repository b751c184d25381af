import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import type { Outcome } from "../records.js";
import { jsonlStore } from "../jsonl-store.js";
import { analyzeStore } from "./analyze-store.js";
import { analyzeCached, type CacheUsage } from "./cache/analyze-cached.js";
import { coreSettings } from "./analyzer.js";
import { AnalyzerCore, reRecords } from "./internal/analyzer-core.js";
import { noCounts, type OrphanMatch, type Part, type ReadCounts } from "./internal/part-reader.js";
import { planParts } from "./internal/plan-parts.js";
import { workerPool, type PartRunner } from "./internal/worker-pool.js";
import type { AnalysisReport, AnalyzerOptions, DataIssues } from "./types.js";

/** Options of {@link analyzeJsonl}: the analyzer's, plus how to read the log. */
export interface AnalyzeJsonlOptions extends AnalyzerOptions {
  /**
   * Threads that parse the log. Default: one per CPU (at most 4) for a log over 16 MiB,
   * else 1 (then it is the store's own reader). A windowed analysis reads the whole log too:
   * timestamps need not be in order, so no old line ends the read.
   */
  readonly workers?: number;
  /** Bytes read per step. Default 4 MiB. */
  readonly readChunkBytes?: number;
  /** Deprecated, ignored: windowed reads never stop early, whatever the order of timestamps. */
  readonly orderSlackMs?: number;
  /**
   * Use the columnar analysis cache (`.analysis-cache/` beside the log): built on the first
   * analysis, extended with appended lines, rebuilt when the log was rewritten. Default true;
   * false parses the whole log every time.
   */
  readonly cache?: boolean;
}

/** The report plus what the reader met besides records. */
export interface JsonlAnalysis {
  readonly report: AnalysisReport;
  /** What the reader skipped: the report's `dataIssues`. */
  readonly counts: DataIssues;
  /** Threads used and bytes in the log. */
  readonly workers: number;
  readonly bytes: number;
  /** What the analysis cache did; absent when the log was parsed without it. */
  readonly cache?: CacheUsage;
}

const PARALLEL_MIN_BYTES = 16 * 2 ** 20;

function invalid(message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
}

/** Puts back together what part readers found: newer parts' late outcomes go to older parts' decisions. */
async function joinLateOutcomes(core: AnalyzerCore, parts: readonly Part[], orphansByPart: readonly [string, Outcome, number][][], runner: PartRunner, chunkBytes: number): Promise<void> {
  // The newest report of an outcome wins: later parts overwrite earlier ones. Every part's
  // records of the id are kept apart, for the count of re-recorded outcomes.
  const late = new Map<string, { outcome: Outcome; part: number; records: Map<number, number> }>();
  orphansByPart.forEach((orphans, part) => {
    for (const [id, outcome, records] of orphans) {
      const known = late.get(id);
      if (known === undefined) late.set(id, { outcome, part, records: new Map([[part, records]]) });
      else {
        known.outcome = outcome;
        known.part = part;
        known.records.set(part, records);
      }
    }
  });
  if (late.size === 0) return;
  const searches = parts.slice(0, -1).map(async (part) => {
    const wanted = [...late].filter(([, o]) => o.part > part.index).map(([id]) => id);
    return { part: part.index, matches: wanted.length ? await runner.find(part, wanted, chunkBytes) : [] };
  });
  // An id's decision is the newest one before its outcome: the match from the highest part.
  const best = new Map<string, { part: number; match: OrphanMatch }>();
  for (const { part, matches } of await Promise.all(searches)) {
    for (const match of matches) if ((best.get(match.eventId)?.part ?? -1) < part) best.set(match.eventId, { part, match });
  }
  for (const [id, { part, match }] of best) {
    if (!core.passes(match.event)) continue;
    const { outcome, records } = late.get(id)!;
    if (match.joined) core.applyOutcome(match.event, match.joined, -1);
    core.applyOutcome(match.event, outcome, 1);
    // The decision's part counted its own records beyond the first; newer parts' records of the id join them.
    let newer = 0;
    for (const [orphanPart, count] of records) if (orphanPart > part) newer += count;
    core.addReRecorded(reRecords(match.joinedRecords + newer) - reRecords(match.joinedRecords));
  }
}

/** True when some event-id hash occurs in two parts (or collides: then the exact reader answers too). */
function countedInTwoParts(keysByPart: readonly Float64Array[]): boolean {
  if (keysByPart.length < 2) return false;
  const seen = new Set<number>();
  for (const keys of keysByPart) {
    for (const key of keys) if (seen.has(key)) return true;
    for (const key of keys) seen.add(key);
  }
  return false;
}

function readFailure(error: unknown, path: string): MoeRouterError {
  if (isMoeRouterError(error)) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && code.startsWith("MOE_")) return new MoeRouterError(code, (error as Error).message, { cause: error });
  return new MoeRouterError(ErrorCode.STORE_FAILED, `Could not read the event log ${path}: ${(error as Error)?.message ?? String(error)}. Check the path and its permissions.`, { cause: error });
}

/**
 * The reader of `moe-router analyze` for the JSONL log (and its rotated files). On several
 * CPUs a whole-log analysis splits the log into byte ranges parsed on worker threads (parsing
 * JSON is nearly all of the cost); each reads its range newest line first, joining outcomes to
 * decisions as it goes, and the partial results are merged, outcomes whose decision lies in
 * an older range being joined in a second, targeted pass. On one thread (a windowed analysis,
 * a small log, `workers: 1`) it is `analyzeStore(jsonlStore(...))`, which reads backwards and
 * stops at the window's start.
 * Either way memory holds the accumulators and the open joins, never the log. Same report as
 * `analyzeStore(jsonlStore({ path }))`. By default (`cache: true`) all this is done only once per
 * line: the columnar analysis cache beside the log answers instead, parsing only the lines
 * appended since the last analysis (see `cache/analyze-cached.ts`).
 * @param path the log file as configured (e.g. ".moe-router/events.jsonl").
 * @throws MoeRouterError STORE_FAILED when the log cannot be read; INVALID_CONFIG for bad options.
 */
export async function analyzeJsonlDetailed(path: string, options: AnalyzeJsonlOptions = {}): Promise<JsonlAnalysis> {
  return analyzeJsonlWith(path, options);
}

/** {@link analyzeJsonlDetailed}, returning only the report. */
export async function analyzeJsonl(path: string, options: AnalyzeJsonlOptions = {}): Promise<AnalysisReport> {
  return (await analyzeJsonlWith(path, options)).report;
}

/**
 * The implementation, with the part runner injectable: tests run the split-and-merge logic
 * in one thread (`runnerFor = () => inThread`). Not part of the package's public face.
 */
export async function analyzeJsonlWith(path: string, options: AnalyzeJsonlOptions, runnerFor?: (parts: number) => PartRunner): Promise<JsonlAnalysis> {
  const { workers, readChunkBytes, orderSlackMs, cache, ...analyzerOptions } = options;
  if (cache !== undefined && typeof cache !== "boolean") throw invalid(`cache must be true or false; got ${String(cache)}.`);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw invalid(`workers must be an integer from 1 to 64; got ${String(workers)}.`);
  if (readChunkBytes !== undefined && !(Number.isInteger(readChunkBytes) && readChunkBytes >= 64)) throw invalid(`readChunkBytes must be an integer >= 64; got ${String(readChunkBytes)}.`);
  if (orderSlackMs !== undefined && !(typeof orderSlackMs === "number" && orderSlackMs >= 0)) throw invalid(`orderSlackMs must be a number of milliseconds >= 0; got ${String(orderSlackMs)}.`);
  const settings = coreSettings(analyzerOptions);
  const chunkBytes = readChunkBytes ?? 4 * 2 ** 20;
  const absolute = resolve(path);
  let runner: PartRunner | undefined;
  if (cache !== false && !runnerFor) {
    try {
      const cached = await analyzeCached(absolute, settings);
      if (!("fallback" in cached)) return { report: { ...cached.report, dataIssues: cached.counts }, counts: cached.counts, workers: 1, bytes: cached.bytes, cache: cached.usage };
    } catch {
      // The uncached reader below reports a log it cannot read with its own coded error.
    }
  }
  try {
    const wanted = workers;
    let { parts, bytes } = await planParts(absolute, wanted ?? 1);
    // The main thread only waits while workers parse. On a busy machine (no idle core) extra
    // threads do not help: pass workers: 1 there.
    const threads = wanted ?? (bytes >= PARALLEL_MIN_BYTES ? Math.min(4, availableParallelism()) : 1);
    if (threads > 1 && parts.length === 1) ({ parts, bytes } = await planParts(absolute, threads));
    // One thread: the store's own reader (same join, same de-duplication) is as fast as a part reader.
    const inStore = async (): Promise<JsonlAnalysis> => {
      const store = jsonlStore({ path: absolute, readChunkBytes: chunkBytes });
      try {
        const report = await analyzeStore(store, { ...analyzerOptions, now: settings.now });
        return { report, counts: report.dataIssues, workers: 1, bytes };
      } finally {
        await store.close();
      }
    };
    if (parts.length === 1 && !runnerFor) return await inStore();
    runner = runnerFor ? runnerFor(parts.length) : workerPool(parts.length);
    const results = await Promise.all(parts.map((part) => runner!.read(part, settings, chunkBytes)));
    // A decision appended twice with the copies in two parts would count twice: rare (a retried
    // batch cut by a part boundary), so the exact sequential reader answers instead.
    if (countedInTwoParts(results.map((result) => result.idKeys))) return await inStore();
    const core = new AnalyzerCore(settings);
    const counts: ReadCounts = noCounts();
    for (const result of results) {
      core.merge(result.snapshot);
      for (const key of Object.keys(counts) as (keyof ReadCounts)[]) counts[key] += result.counts[key];
    }
    if (parts.length > 1)
      await joinLateOutcomes(
        core,
        parts,
        results.map((r) => r.orphans),
        runner,
        chunkBytes,
      );
    return { report: { ...core.result(), dataIssues: { ...counts } }, counts, workers: parts.length, bytes };
  } catch (error) {
    throw readFailure(error, absolute);
  } finally {
    await runner?.close();
  }
}
