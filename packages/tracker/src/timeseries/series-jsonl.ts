import { resolve } from "node:path";
import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import { walkCached } from "../analysis/cache/analyze-cached.js";
import { jsonlStore } from "../jsonl-store.js";
import { SeriesAccumulator } from "./accumulator.js";
import { seriesSettings } from "./settings.js";
import { timeSeriesStore } from "./series-store.js";
import type { TimeSeries, TimeSeriesOptions } from "./types.js";

/** Options of {@link timeSeriesJsonl}: the series', plus how to read the log. */
export interface TimeSeriesJsonlOptions extends TimeSeriesOptions {
  /** Use the columnar analysis cache beside the log (built or extended as needed). Default true. */
  readonly cache?: boolean;
}

/**
 * The time series of a JSONL log (and its rotated files): from the columnar analysis cache
 * when it can answer (parsing only lines appended since the last analysis), else through the
 * store's reader (newest line first, out-of-range decisions skipped unparsed). Same result either way.
 * @param path the log file as configured (e.g. ".moe-router/events.jsonl").
 * @throws MoeRouterError STORE_FAILED when the log cannot be read; INVALID_CONFIG for bad options.
 */
export async function timeSeriesJsonl(path: string, options: TimeSeriesJsonlOptions = {}): Promise<TimeSeries> {
  const { cache, ...seriesOptions } = options;
  if (cache !== undefined && typeof cache !== "boolean") throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `cache must be true or false; got ${String(cache)}.`);
  const settings = seriesSettings(seriesOptions);
  const absolute = resolve(path);
  if (cache !== false) {
    try {
      const accumulator = new SeriesAccumulator(settings);
      const walked = await walkCached(absolute, settings.since, accumulator);
      if (!("fallback" in walked)) return accumulator.result();
    } catch (error) {
      // Bad options and bucket limits are the caller's to see; a log the cache cannot read
      // gets the uncached reader's own coded error below.
      if (isMoeRouterError(error)) throw error;
    }
  }
  const store = jsonlStore({ path: absolute });
  try {
    return await timeSeriesStore(store, { ...seriesOptions, now: settings.now });
  } finally {
    await store.close();
  }
}
