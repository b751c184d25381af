import { open, type FileHandle } from "node:fs/promises";
import { LogFiles } from "../../internal/log-files.js";
import { AnalyzerCore, type CoreSettings } from "../internal/analyzer-core.js";
import type { AnalysisReport } from "../types.js";
import { cachePathFor, readCache, sampleHash, writeCache, type Fingerprint } from "./cache-file.js";
import { Dictionary, DictionaryFull } from "./columns.js";
import { buildSegment } from "./builder.js";
import { decisionCount, type FileTable } from "./segment.js";
import { CacheFallback, walkFiles, type EventSink, type WalkCounts, type WalkFile } from "./walk.js";

/** What the analysis cache did in one analysis. */
export interface CacheUsage {
  /** Log files analysed. */
  readonly files: number;
  /** Files whose cache was up to date (nothing parsed). */
  readonly warm: number;
  /** Files whose cache was extended with the lines appended since. */
  readonly extended: number;
  /** Files whose cache was (re)built from the start: none yet, log rewritten, rotated, or cache damaged or of another version. */
  readonly rebuilt: number;
  /** Log bytes parsed as JSON in this analysis (0 when every cache was up to date). */
  readonly parsedBytes: number;
  /** Cache files that could not be written (e.g. a read-only directory): the analysis went on without saving them. */
  readonly writeFailures: number;
}

/** The cached analysis, or why the uncached reader must answer instead. */
export type CachedResult = { readonly report: AnalysisReport; readonly counts: WalkCounts; readonly bytes: number; readonly usage: CacheUsage } | { readonly fallback: string };

interface Prepared {
  readonly file: WalkFile;
  readonly size: number;
}

type Tally = { -readonly [key in keyof CacheUsage]: number };

/** Brings one log file's cache up to date: loads it, extends it with appended lines, or rebuilds it. */
async function prepareFile(path: string, usage: Tally): Promise<Prepared | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    // Rotated away between listing and opening: the store's reader skips it too.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const stat = await handle.stat();
    const size = stat.size;
    const cachePath = cachePathFor(path);
    const loaded = await readCache(cachePath, path);
    let table: FileTable | undefined;
    let changed = false;
    if (loaded) {
      const { table: cached, fingerprint } = loaded;
      // Whole milliseconds: what utimes and most copy tools keep.
      const rewritten = size === fingerprint.size && Math.floor(stat.mtimeMs) !== fingerprint.mtimeMs;
      if (size >= cached.covered && stat.ino === fingerprint.ino && !rewritten && (await sampleHash(handle, cached.covered)) === fingerprint.hash) table = cached;
    }
    if (table && size > table.covered) {
      const from = table.covered;
      const built = await buildSegment(path, from, size, new Dictionary(table.dict), decisionCount(table));
      usage.parsedBytes += size - from;
      if (built.covered > from) {
        table.segments.push(built.segment);
        table.covered = built.covered;
        table.oddTimes ||= built.oddTimes;
        changed = true;
        usage.extended++;
      } else usage.warm++;
    } else if (table) {
      usage.warm++;
    } else {
      const dict: string[] = [];
      const built = await buildSegment(path, 0, size, new Dictionary(dict), 0);
      usage.parsedBytes += size;
      usage.rebuilt++;
      table = { path, segments: [built.segment], dict, covered: built.covered, oddTimes: built.oddTimes };
      changed = true;
    }
    if (changed) {
      const fingerprint: Fingerprint = { size, mtimeMs: Math.floor(stat.mtimeMs), ino: stat.ino, hash: await sampleHash(handle, table.covered) };
      try {
        await writeCache(cachePath, table, fingerprint);
      } catch {
        // Not being able to save the cache (read-only directory, full disk) costs speed next time, never the answer.
        usage.writeFailures++;
      }
    }
    return { file: { table, tornTail: size > table.covered }, size };
  } finally {
    await handle.close();
  }
}

/** What a cached walk did, or why the uncached reader must answer instead. */
export type CachedWalk = { readonly counts: WalkCounts; readonly bytes: number; readonly usage: CacheUsage } | { readonly fallback: string };

/**
 * Feeds a JSONL log (and its rotated files) from its columnar caches to `sink`, bringing each
 * cache up to date first, exactly as `jsonlStore({ path }).read({ since })` would feed it; or
 * returns a fallback reason when the cache cannot answer exactly (a windowed read over
 * decisions with non-canonical timestamps, an event-id hash collision). After a fallback the
 * sink may hold part of the events: discard it.
 * @throws the file system's error when the log cannot be read.
 */
export async function walkCached(path: string, sinceMs: number | undefined, sink: EventSink): Promise<CachedWalk> {
  const logFiles = await new LogFiles(path).list();
  if (logFiles.length === 0) return { fallback: "no log file" };
  const usage: Tally = { files: 0, warm: 0, extended: 0, rebuilt: 0, parsedBytes: 0, writeFailures: 0 };
  const files: WalkFile[] = [];
  let bytes = 0;
  try {
    for (const logFile of logFiles) {
      const prepared = await prepareFile(logFile.path, usage);
      if (!prepared) continue;
      usage.files++;
      bytes += prepared.size;
      files.push(prepared.file);
    }
  } catch (error) {
    if (error instanceof DictionaryFull) return { fallback: `not cacheable: ${error.message}` };
    throw error;
  }
  if (sinceMs !== undefined && files.some((file) => file.table.oddTimes)) return { fallback: "non-canonical timestamps with a window" };
  try {
    const counts = walkFiles(files, { sinceMs }, sink);
    return { counts, bytes, usage };
  } catch (error) {
    if (error instanceof CacheFallback) return { fallback: error.message };
    throw error;
  }
}

/**
 * Analyses a JSONL log (and its rotated files) from its columnar caches ({@link walkCached}).
 * Gives the report of `analyzeStore(jsonlStore({ path }))`, bit for bit, or a fallback reason.
 * @throws the file system's error when the log cannot be read.
 */
export async function analyzeCached(path: string, settings: CoreSettings): Promise<CachedResult> {
  const core = new AnalyzerCore(settings);
  const walked = await walkCached(path, settings.since, core);
  if ("fallback" in walked) return walked;
  return { report: core.result(), ...walked };
}
