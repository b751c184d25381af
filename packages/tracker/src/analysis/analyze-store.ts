import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import type { RoutingEvent } from "../records.js";
import { createAnalyzer } from "./analyzer.js";
import type { AnalysisReport, AnalyzerOptions, DataIssues } from "./types.js";

/** The part of a store the analysis needs: a time-ranged stream of merged events. */
export interface EventSource {
  read(range?: { since?: Date; until?: Date }): AsyncIterable<RoutingEvent> | Iterable<RoutingEvent>;
  /** A store's counters: what its read skipped goes into the report's `dataIssues`. */
  stats?(): Partial<DataIssues>;
  /** A store that computes the analysis itself (PostgreSQL, in SQL); {@link analyzeStore} then calls it instead of reading. */
  analyze?(options?: AnalyzerOptions): Promise<AnalysisReport>;
}

/** The report with the store's read counts as its data issues. */
function withIssues(report: AnalysisReport, store: EventSource): AnalysisReport {
  if (typeof store.stats !== "function") return report;
  const stats = store.stats();
  const count = (value: unknown): number => (typeof value === "number" ? value : 0);
  return {
    ...report,
    dataIssues: { tornLines: count(stats.tornLines), invalidRecords: count(stats.invalidRecords), invalidFields: count(stats.invalidFields), duplicates: count(stats.duplicates) },
  };
}

/**
 * The analysis report of a store. A store that computes it itself (PostgreSQL: in SQL, see
 * {@link EventSource.analyze}) is asked to; anything else is streamed (its `read()`) through
 * {@link createAnalyzer}. The window's lower bound is passed to `read` so a store can skip old
 * records early; the analyzer applies it again, so a store that ignores it gives the same answer.
 * (To stream a store that computes, pass `{ read: (range) => store.read(range), stats: () => store.stats() }`.)
 * @throws MoeRouterError STORE_FAILED when reading fails for a reason that is not already coded;
 *   INVALID_CONFIG / UNKNOWN_OPTION for bad options.
 */
export async function analyzeStore(store: EventSource, options: AnalyzerOptions = {}): Promise<AnalysisReport> {
  if (typeof store.analyze === "function") return store.analyze(options);
  const analyzer = createAnalyzer(options);
  const range = analyzer.since === undefined ? {} : { since: new Date(analyzer.since) };
  try {
    for await (const event of store.read(range)) analyzer.add(event);
  } catch (error) {
    if (isMoeRouterError(error)) throw error;
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Reading the event store failed: ${(error as Error).message}. Check that the store path or URL is right and readable.`, { cause: error });
  }
  return withIssues(analyzer.result(), store);
}

/** Like {@link analyzeStore} for any (async) iterable of events, e.g. a test's array. */
export async function analyzeEvents(events: AsyncIterable<RoutingEvent> | Iterable<RoutingEvent>, options: AnalyzerOptions = {}): Promise<AnalysisReport> {
  const analyzer = createAnalyzer(options);
  for await (const event of events) analyzer.add(event);
  return analyzer.result();
}
