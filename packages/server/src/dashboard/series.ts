/**
 * Time series for the dashboard: per UTC hour and per minute, decisions, clarification rate,
 * accuracy from outcomes and p95 routing latency. Fed one event at a time during the same pass
 * over the store that feeds the analyzer, so the store is read once per refresh.
 */
import { createTimeSeriesAccumulator, type RoutingEvent, type TimeSeries, type TimeSeriesAccumulator } from "@moe-router/tracker";
import { judgeOutcome } from "@moe-router/tracker/rules";

/** One time bucket. Rates are null when their denominator is zero. */
export interface SeriesPoint {
  /** Start of the bucket (ISO-8601, UTC). */
  readonly start: string;
  readonly decisions: number;
  readonly clarifications: number;
  readonly clarificationRate: number | null;
  /** Decisions whose outcome says whether the routed expert was right. */
  readonly judged: number;
  readonly correct: number;
  readonly accuracy: number | null;
  /** 95th percentile of the decisions' total routing latency (ms). */
  readonly p95LatencyMs: number | null;
}

/** Buckets of one width ending with the one that holds `now`. */
export interface SeriesSpec {
  readonly bucketMs: number;
  readonly buckets: number;
}

/** Was the routed expert right? The tracker's rule ({@link judgeOutcome}); no verdict is undefined. */
export function judgeEvent(event: RoutingEvent): boolean | undefined {
  return judgeOutcome(event.selected_master, event.outcome).correct;
}

/**
 * Fixed buckets ending with the one that holds `now`, over the tracker's streaming time-series
 * accumulator (the same counting rules as `analyze --by` and the alerts, and bounded memory: a
 * sparse latency histogram per bucket rather than every latency). Events outside the range are ignored.
 */
export class SeriesAccumulator {
  readonly #spec: SeriesSpec;
  readonly #first: number;
  readonly #series: TimeSeriesAccumulator;

  constructor(spec: SeriesSpec, now: number) {
    this.#spec = spec;
    const current = Math.floor(now / spec.bucketMs) * spec.bucketMs;
    this.#first = current - (spec.buckets - 1) * spec.bucketMs;
    this.#series = createTimeSeriesAccumulator({ by: spec.bucketMs, since: this.#first, until: this.#first + spec.buckets * spec.bucketMs, now, maxBuckets: spec.buckets });
  }

  /** Start of the oldest bucket (ms since the epoch): read the store from here. */
  get since(): number {
    return this.#first;
  }

  /** Adds one event (the accumulator reads its time from the event itself). */
  add(event: RoutingEvent): void {
    this.#series.add(event);
  }

  result(): SeriesPoint[] {
    return this.#series.result().buckets.slice(0, this.#spec.buckets).map(seriesPoint);
  }
}

/** One tracker time-series bucket as a dashboard point (the accumulator and the SQL snapshot both use it). */
export function seriesPoint(bucket: TimeSeries["buckets"][number]): SeriesPoint {
  return {
    start: bucket.start,
    decisions: bucket.decisions,
    clarifications: bucket.clarifications,
    clarificationRate: bucket.clarificationRate,
    judged: bucket.accuracy.judged,
    correct: bucket.accuracy.correct,
    accuracy: bucket.accuracy.rate,
    p95LatencyMs: bucket.latencyMs.p95,
  };
}
