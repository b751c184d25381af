/**
 * Public shapes of the time series: routing health per time bucket (decisions, per-layer
 * acceptance, accuracy, errors and p95 latency, clarifications, outcome coverage, expert mix).
 * Plain JSON: rates are shares in [0,1], or `null` when their denominator is zero.
 */
import type { Accuracy } from "../analysis/types.js";

/** Calendar-free bucket widths (UTC, aligned to the Unix epoch). */
export type BucketUnit = "minute" | "hour" | "day";

/** Options of the time-series functions ({@link timeSeriesStore}, {@link timeSeriesJsonl}, ...). */
export interface TimeSeriesOptions {
  /**
   * Bucket width: `"minute"`, `"hour"`, `"day"` (UTC, aligned to the epoch), `"auto"`, or a
   * width in milliseconds (buckets then start at `since`, which must be given).
   * `"auto"` (the default) picks from the range: minute up to 6 hours, hour up to 31 days,
   * day beyond. Without a range it starts at minute and coarsens as the events' span grows.
   */
  readonly by?: BucketUnit | "auto" | number;
  /** The range is the last `windowHours` hours before `now`. */
  readonly windowHours?: number;
  /** Start of the range (inclusive). With `windowHours` it is derived; give one or the other. */
  readonly since?: Date | number;
  /** End of the range (exclusive). Default: `now` when a range start is known, else unbounded. */
  readonly until?: Date | number;
  /** The clock for `windowHours` and the default `until`. Default: the time of the call. */
  readonly now?: Date | number;
  /** Only this layer in the per-layer series (decision-level series still cover every decision). */
  readonly layer?: string;
  /** Refuse ranges needing more buckets than this (a coarser `by` is needed). Default 5,000. */
  readonly maxBuckets?: number;
  /**
   * Generated sample decisions (`synthetic: true`): `"include"` (the default, every decision
   * counts) or `"exclude"` (left out, as `moe-router analyze --by`, `alerts` and the service's
   * dashboard do unless asked to include them).
   */
  readonly synthetic?: "include" | "exclude";
}

/**
 * Nearest-rank p95 of a bucket's latencies with a distribution-free 95 % confidence interval
 * (the order statistics at ranks n·0.95 ∓ 1.96·√(n·0.95·0.05), the normal approximation of
 * the binomial). JSONL results are within 0.5 % of the exact order statistic; PostgreSQL's exact.
 */
export interface LatencyQuantile {
  /** Timed samples. */
  readonly count: number;
  readonly p95: number | null;
  /** Lower end of the interval (a rank below the p95's), null without samples. */
  readonly p95Low: number | null;
  /** Upper end of the interval. */
  readonly p95High: number | null;
}

/** One layer in one bucket (live attempts; shadow attempts are left out). */
export interface LayerBucket {
  readonly attempts: number;
  /** Attempts that decided the route. */
  readonly accepted: number;
  readonly acceptanceRate: number | null;
  /** Share of the bucket's decisions that this layer decided. */
  readonly coverage: number | null;
  readonly errors: number;
  readonly errorRate: number | null;
  /** Accuracy of the decisions this layer made, from outcomes. */
  readonly accuracy: Accuracy;
  /** Latency of the layer's attempts (ms). */
  readonly latencyMs: LatencyQuantile;
}

/** One time bucket: decisions routed at `start <= timestamp < end`. */
export interface TimeBucket {
  /** ISO-8601 start (inclusive). */
  readonly start: string;
  /** ISO-8601 end (exclusive). */
  readonly end: string;
  readonly decisions: number;
  /** Decisions with an outcome recorded. */
  readonly withOutcome: number;
  readonly outcomeCoverage: number | null;
  /** Accuracy of all decisions with a judged outcome. */
  readonly accuracy: Accuracy;
  /** Decisions answered by the clarification fallback. */
  readonly clarifications: number;
  readonly clarificationRate: number | null;
  /** Live layer attempts of every layer, and how many errored (threw, timed out, malformed). */
  readonly attempts: number;
  readonly errors: number;
  readonly errorRate: number | null;
  /** End-to-end routing latency (ms). */
  readonly latencyMs: LatencyQuantile;
  /** Per layer, every layer of the series (zeros where it did not run), in cascade order. */
  readonly layers: Readonly<Record<string, LayerBucket>>;
  /** Decisions by selected expert, every expert of the series (zeros included). */
  readonly experts: Readonly<Record<string, number>>;
}

/** A time series over a range; `buckets` are contiguous, oldest first, empty ones included. */
export interface TimeSeries {
  readonly generatedAt: string;
  /** The bucket unit used (`"custom"` for a width in milliseconds). */
  readonly by: BucketUnit | "custom";
  readonly bucketMs: number;
  /** The range asked for (null: unbounded), ISO-8601. */
  readonly since: string | null;
  readonly until: string | null;
  readonly layerFilter: string | null;
  /** Layers seen, in cascade order (their position in layer_attempts). */
  readonly layers: readonly string[];
  /** Experts seen, most decisions first. */
  readonly experts: readonly string[];
  /** Events read that could not be placed in a bucket (no valid timestamp, not a decision); 0 on PostgreSQL, which stores only valid ones. */
  readonly skipped: number;
  readonly buckets: readonly TimeBucket[];
}
