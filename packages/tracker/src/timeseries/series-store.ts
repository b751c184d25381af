import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import type { EventSource } from "../analysis/analyze-store.js";
import type { RoutingEvent } from "../records.js";
import { SeriesAccumulator } from "./accumulator.js";
import { seriesSettings } from "./settings.js";
import type { TimeSeries, TimeSeriesOptions } from "./types.js";

/** A store that computes time series itself (the PostgreSQL store does, in SQL). */
export interface TimeSeriesSource {
  timeSeries(options?: TimeSeriesOptions): Promise<TimeSeries>;
}

function computes(store: object): store is TimeSeriesSource {
  return typeof (store as Partial<TimeSeriesSource>).timeSeries === "function";
}

/**
 * The time series of a store: computed by the store when it can (PostgreSQL, in SQL),
 * otherwise by streaming its windowed `read()` through the accumulator (JSONL: out-of-range
 * decisions are skipped unparsed; `timeSeriesJsonl` is faster on a big log, through the
 * analysis cache). This is what a service's live dashboard calls.
 * @example
 * const series = await timeSeriesStore(store, { windowHours: 6, by: "minute" });
 * @throws MoeRouterError STORE_FAILED when reading fails; INVALID_CONFIG / UNKNOWN_OPTION for bad options.
 */
export async function timeSeriesStore(store: EventSource | TimeSeriesSource, options: TimeSeriesOptions = {}): Promise<TimeSeries> {
  if (computes(store)) return store.timeSeries(options);
  const accumulator = new SeriesAccumulator(seriesSettings(options));
  const range = {
    ...(accumulator.since !== undefined ? { since: new Date(accumulator.since) } : {}),
    ...(accumulator.until !== undefined ? { until: new Date(accumulator.until) } : {}),
  };
  try {
    for await (const event of store.read(range)) accumulator.add(event);
  } catch (error) {
    if (isMoeRouterError(error)) throw error;
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Reading the event store failed: ${(error as Error).message}. Check that the store path or URL is right and readable.`, { cause: error });
  }
  return accumulator.result();
}

/** The time series of any (async) iterable of events, e.g. a test's array. */
export async function timeSeriesEvents(events: AsyncIterable<RoutingEvent> | Iterable<RoutingEvent>, options: TimeSeriesOptions = {}): Promise<TimeSeries> {
  const accumulator = new SeriesAccumulator(seriesSettings(options));
  for await (const event of events) accumulator.add(event);
  return accumulator.result();
}
