import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { BucketUnit, TimeSeriesOptions } from "./types.js";

/** Bucket widths of the named units. */
export const UNIT_MS: Readonly<Record<BucketUnit, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Longest range (ms) that `"auto"` buckets by minute, then by hour. */
export const AUTO_MINUTE_MAX_MS = 6 * UNIT_MS.hour;
export const AUTO_HOUR_MAX_MS = 31 * UNIT_MS.day;

/** Validated, resolved settings of a time series. */
export interface SeriesSettings {
  readonly now: number;
  /** Range [since, until); undefined = unbounded on that side. */
  readonly since: number | undefined;
  readonly until: number | undefined;
  /** Resolved unit, or "auto" when no range fixes it yet (coarsened while reading). */
  readonly by: BucketUnit | "custom" | "auto";
  /** Bucket width (for "auto": the width to start with). */
  readonly bucketMs: number;
  /** Bucket boundaries are origin + k·bucketMs. */
  readonly origin: number;
  readonly layer: string | undefined;
  readonly maxBuckets: number;
  /** Leave out decisions marked `synthetic`. */
  readonly excludeSynthetic: boolean;
}

const KNOWN = ["by", "windowHours", "since", "until", "now", "layer", "maxBuckets", "synthetic"];

function invalid(message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
}

function timeOf(value: Date | number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const time = value instanceof Date ? value.getTime() : value;
  if (typeof time !== "number" || !Number.isFinite(time)) throw invalid(`${name} must be a valid Date or epoch milliseconds; got ${String(value)}.`);
  return time;
}

/** The unit "auto" picks for a range of `spanMs`. */
export function autoUnit(spanMs: number): BucketUnit {
  return spanMs <= AUTO_MINUTE_MAX_MS ? "minute" : spanMs <= AUTO_HOUR_MAX_MS ? "hour" : "day";
}

/**
 * Checks time-series options and resolves the range and bucket width.
 * @throws MoeRouterError UNKNOWN_OPTION for a misspelt option, INVALID_CONFIG for a bad value.
 */
export function seriesSettings(options: TimeSeriesOptions = {}): SeriesSettings {
  if (options === null || typeof options !== "object") throw invalid('Time-series options must be an object such as { by: "hour", windowHours: 24 }.');
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `Unknown time-series option "${key}". Known options: ${KNOWN.join(", ")}.`);
  }
  const { by = "auto", windowHours, layer, maxBuckets = 5_000 } = options;
  const now = timeOf(options.now, "now") ?? Date.now();
  if (windowHours !== undefined && !(typeof windowHours === "number" && windowHours > 0 && Number.isFinite(windowHours))) {
    throw invalid(`windowHours must be a positive number of hours (e.g. 24); got ${String(windowHours)}.`);
  }
  if (windowHours !== undefined && options.since !== undefined) throw invalid("Give either windowHours or since, not both.");
  if (layer !== undefined && (typeof layer !== "string" || layer === "")) throw invalid(`layer must be a layer name such as "keyword"; got ${JSON.stringify(layer)}.`);
  const synthetic = options.synthetic;
  if (synthetic !== undefined && synthetic !== "include" && synthetic !== "exclude") throw invalid(`synthetic must be "include" or "exclude"; got ${JSON.stringify(synthetic)}.`);
  if (!(Number.isInteger(maxBuckets) && maxBuckets >= 1)) throw invalid(`maxBuckets must be a positive integer; got ${String(maxBuckets)}.`);
  const since = windowHours !== undefined ? now - windowHours * UNIT_MS.hour : timeOf(options.since, "since");
  const until = timeOf(options.until, "until") ?? (since !== undefined ? now : undefined);
  if (since !== undefined && until !== undefined && since >= until) {
    throw invalid(`The range is empty: since (${new Date(since).toISOString()}) is not before until (${new Date(until).toISOString()}).`);
  }
  let unit: BucketUnit | "custom" | "auto";
  let bucketMs: number;
  let origin = 0;
  if (typeof by === "number") {
    if (!(Number.isInteger(by) && by >= 1000)) throw invalid(`by must be "minute", "hour", "day", "auto" or a whole number of milliseconds >= 1000; got ${by}.`);
    if (since === undefined) throw invalid("A bucket width in milliseconds needs the range start (since or windowHours): buckets start there.");
    unit = "custom";
    bucketMs = by;
    origin = since;
  } else if (by === "auto") {
    if (since !== undefined && until !== undefined) {
      unit = autoUnit(until - since);
      bucketMs = UNIT_MS[unit];
    } else {
      unit = "auto";
      bucketMs = UNIT_MS.minute;
    }
  } else if (by in UNIT_MS) {
    unit = by;
    bucketMs = UNIT_MS[by];
  } else {
    throw invalid(`by must be "minute", "hour", "day" or "auto"; got ${JSON.stringify(by)}.`);
  }
  const settings: SeriesSettings = { now, since, until, by: unit, bucketMs, origin, layer, maxBuckets, excludeSynthetic: synthetic === "exclude" };
  if (since !== undefined && until !== undefined && unit !== "auto") checkBucketCount(settings, since, until);
  return settings;
}

/** Index of the bucket holding `time`. */
export function bucketIndex(settings: Pick<SeriesSettings, "bucketMs" | "origin">, time: number): number {
  return Math.floor((time - settings.origin) / settings.bucketMs);
}

/** Throws when [first, last] (times) would need more than maxBuckets buckets. */
export function checkBucketCount(settings: SeriesSettings, first: number, endExclusive: number): void {
  const count = bucketIndex(settings, endExclusive - 1) - bucketIndex(settings, first) + 1;
  if (count > settings.maxBuckets) {
    throw invalid(`The range needs ${count} buckets of ${settings.bucketMs / 1000} s, more than the limit of ${settings.maxBuckets}: use a coarser --by (hour, day) or a shorter window.`);
  }
}
