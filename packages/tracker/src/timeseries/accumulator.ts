import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { parseIsoTime } from "../analysis/internal/iso-time.js";
import type { RoutingEvent } from "../records.js";
import { BucketState } from "./internal/bucket-state.js";
import { buildSeries, type BucketCounts, type LayerCounts } from "./internal/build-series.js";
import { AUTO_HOUR_MAX_MS, AUTO_MINUTE_MAX_MS, UNIT_MS, seriesSettings, type SeriesSettings } from "./settings.js";
import type { BucketUnit, TimeSeries, TimeSeriesOptions } from "./types.js";

/** A streaming time-series builder: feed it events in any order, read the series at any time. */
export interface TimeSeriesAccumulator {
  /** Adds one event (a decision with its outcome merged, if any); events outside the range are ignored. */
  add(event: RoutingEvent): void;
  /** The series over the events added so far. */
  result(): TimeSeries;
  /** The range (epoch ms), for stores that can filter before parsing. */
  readonly since: number | undefined;
  readonly until: number | undefined;
}

/** The accumulator behind every JSONL / stream reader of the time series (not exported from the package). */
export class SeriesAccumulator implements TimeSeriesAccumulator {
  private buckets = new Map<number, BucketState>();
  private readonly positions = new Map<string, number>();
  private skipped = 0;
  private unit: BucketUnit | "custom";
  private bucketMs: number;
  private low = Number.POSITIVE_INFINITY;
  private high = Number.NEGATIVE_INFINITY;
  private readonly wanted: (layer: string) => boolean;
  private readonly seeLayer = (layer: string, position: number): void => {
    const known = this.positions.get(layer);
    if (known === undefined || position < known) this.positions.set(layer, position);
  };

  constructor(readonly settings: SeriesSettings) {
    this.unit = settings.by === "auto" ? "minute" : settings.by;
    this.bucketMs = settings.bucketMs;
    const filter = settings.layer;
    this.wanted = filter === undefined ? () => true : (layer) => layer === filter;
  }

  get since(): number | undefined {
    return this.settings.since;
  }

  get until(): number | undefined {
    return this.settings.until;
  }

  add(event: RoutingEvent): void {
    if (event === null || typeof event !== "object" || typeof event.selected_master !== "string") {
      this.skipped++;
      return;
    }
    // Left out before anything else: an excluded sample decision is not in the series at all.
    if (this.settings.excludeSynthetic && event.synthetic === true) return;
    const time = parseIsoTime(event.timestamp);
    if (!Number.isFinite(time)) {
      this.skipped++;
      return;
    }
    const { since, until } = this.settings;
    if ((since !== undefined && time < since) || (until !== undefined && time >= until)) return;
    if (time < this.low) this.low = time;
    if (time > this.high) this.high = time;
    if (this.settings.by === "auto") this.coarsen();
    const origin = this.unit === "custom" ? this.settings.origin : 0;
    const index = Math.floor((time - origin) / this.bucketMs);
    let bucket = this.buckets.get(index);
    if (!bucket) {
      this.buckets.set(index, (bucket = new BucketState()));
      this.checkCount();
    }
    bucket.add(event, this.wanted, this.seeLayer);
  }

  /** "auto" without a range: widen the buckets as the events' span grows. */
  private coarsen(): void {
    const span = this.high - this.low;
    const unit: BucketUnit = span <= AUTO_MINUTE_MAX_MS ? "minute" : span <= AUTO_HOUR_MAX_MS ? "hour" : "day";
    if (UNIT_MS[unit] <= this.bucketMs) return;
    const width = UNIT_MS[unit];
    const regrouped = new Map<number, BucketState>();
    for (const [index, state] of this.buckets) {
      const into = Math.floor((index * this.bucketMs) / width);
      const existing = regrouped.get(into);
      if (existing) existing.merge(state);
      else regrouped.set(into, state);
    }
    this.buckets = regrouped;
    this.unit = unit;
    this.bucketMs = width;
  }

  /** An unbounded range with a fixed unit can outgrow maxBuckets: stop before memory does. */
  private checkCount(): void {
    if (this.settings.since !== undefined && this.settings.until !== undefined) return;
    const origin = this.unit === "custom" ? this.settings.origin : 0;
    const count = Math.floor((this.high - origin) / this.bucketMs) - Math.floor((this.low - origin) / this.bucketMs) + 1;
    if (count > this.settings.maxBuckets) {
      throw new MoeRouterError(
        ErrorCode.INVALID_CONFIG,
        `The events span more than ${this.settings.maxBuckets} buckets of ${this.bucketMs / 1000} s: use a coarser --by (hour, day), by "auto", or a window.`,
      );
    }
  }

  result(): TimeSeries {
    const counts = new Map<number, BucketCounts>();
    for (const [index, state] of this.buckets) {
      const layers = new Map<string, LayerCounts>();
      for (const [name, layer] of state.layers) {
        layers.set(name, { attempts: layer.attempts, accepted: layer.accepted, errors: layer.errors, judged: layer.judged, correct: layer.correct, latency: layer.latency.p95() });
      }
      counts.set(index, {
        decisions: state.decisions,
        withOutcome: state.withOutcome,
        judged: state.judged,
        correct: state.correct,
        clarifications: state.clarifications,
        attempts: state.attempts,
        errors: state.errors,
        latency: state.latency.p95(),
        layers,
        experts: state.experts,
      });
    }
    return buildSeries({ settings: this.settings, unit: this.unit, bucketMs: this.bucketMs, buckets: counts, positions: this.positions, skipped: this.skipped });
  }
}

/**
 * Creates a streaming time-series builder (what `analyze --by` runs on a stream of events).
 * Memory grows with buckets × layers × distinct latency buckets, never with the number of events.
 * @throws MoeRouterError INVALID_CONFIG / UNKNOWN_OPTION for bad options.
 */
export function createTimeSeriesAccumulator(options: TimeSeriesOptions = {}): TimeSeriesAccumulator {
  return new SeriesAccumulator(seriesSettings(options));
}
