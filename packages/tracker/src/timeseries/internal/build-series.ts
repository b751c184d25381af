import { ratio } from "../../analysis/internal/counting.js";
import type { BucketUnit, LatencyQuantile, LayerBucket, TimeBucket, TimeSeries } from "../types.js";
import type { SeriesSettings } from "../settings.js";

/** One layer's plain counts in a bucket (from the streaming accumulator or from SQL). */
export interface LayerCounts {
  readonly attempts: number;
  readonly accepted: number;
  readonly errors: number;
  readonly judged: number;
  readonly correct: number;
  readonly latency: LatencyQuantile;
}

/** A bucket's plain counts. */
export interface BucketCounts {
  readonly decisions: number;
  readonly withOutcome: number;
  readonly judged: number;
  readonly correct: number;
  readonly clarifications: number;
  readonly attempts: number;
  readonly errors: number;
  readonly latency: LatencyQuantile;
  readonly layers: ReadonlyMap<string, LayerCounts>;
  readonly experts: ReadonlyMap<string, number>;
}

/** What is left to build a series once the counting is done. */
export interface SeriesParts {
  readonly settings: SeriesSettings;
  /** The unit and width actually used (auto resolved). */
  readonly unit: BucketUnit | "custom";
  readonly bucketMs: number;
  readonly buckets: ReadonlyMap<number, BucketCounts>;
  /** Smallest index in layer_attempts of each layer (cascade order). */
  readonly positions: ReadonlyMap<string, number>;
  readonly skipped: number;
}

const NO_LATENCY: LatencyQuantile = { count: 0, p95: null, p95Low: null, p95High: null };

const EMPTY_LAYER: LayerCounts = { attempts: 0, accepted: 0, errors: 0, judged: 0, correct: 0, latency: NO_LATENCY };

function layerBucket(counts: LayerCounts, decisions: number): LayerBucket {
  return {
    attempts: counts.attempts,
    accepted: counts.accepted,
    acceptanceRate: ratio(counts.accepted, counts.attempts),
    coverage: ratio(counts.accepted, decisions),
    errors: counts.errors,
    errorRate: ratio(counts.errors, counts.attempts),
    accuracy: { judged: counts.judged, correct: counts.correct, rate: ratio(counts.correct, counts.judged) },
    latencyMs: counts.latency,
  };
}

const EMPTY_BUCKET: BucketCounts = {
  decisions: 0,
  withOutcome: 0,
  judged: 0,
  correct: 0,
  clarifications: 0,
  attempts: 0,
  errors: 0,
  latency: NO_LATENCY,
  layers: new Map(),
  experts: new Map(),
};

/**
 * The dense series: every bucket from the range's first to its last (or, unbounded, from the
 * first to the last event's), empty ones included, each listing every layer and expert.
 */
export function buildSeries(parts: SeriesParts): TimeSeries {
  const { settings, bucketMs, buckets } = parts;
  const origin = parts.unit === "custom" ? settings.origin : 0;
  const indexOf = (time: number) => Math.floor((time - origin) / bucketMs);
  let low: number | undefined, high: number | undefined;
  for (const index of buckets.keys()) {
    if (low === undefined || index < low) low = index;
    if (high === undefined || index > high) high = index;
  }
  const first = settings.since !== undefined ? indexOf(settings.since) : low;
  const last = settings.until !== undefined ? indexOf(settings.until - 1) : high;
  const layers = [...parts.positions].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([name]) => name);
  const expertTotals = new Map<string, number>();
  for (const bucket of buckets.values()) for (const [expert, count] of bucket.experts) expertTotals.set(expert, (expertTotals.get(expert) ?? 0) + count);
  const experts = [...expertTotals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name]) => name);
  const out: TimeBucket[] = [];
  if (first !== undefined && last !== undefined) {
    for (let index = first; index <= last; index++) {
      const counts = buckets.get(index) ?? EMPTY_BUCKET;
      const start = origin + index * bucketMs;
      const layerRecord: Record<string, LayerBucket> = {};
      for (const name of layers) layerRecord[name] = layerBucket(counts.layers.get(name) ?? EMPTY_LAYER, counts.decisions);
      const expertRecord: Record<string, number> = {};
      for (const name of experts) expertRecord[name] = counts.experts.get(name) ?? 0;
      out.push({
        start: new Date(start).toISOString(),
        end: new Date(start + bucketMs).toISOString(),
        decisions: counts.decisions,
        withOutcome: counts.withOutcome,
        outcomeCoverage: ratio(counts.withOutcome, counts.decisions),
        accuracy: { judged: counts.judged, correct: counts.correct, rate: ratio(counts.correct, counts.judged) },
        clarifications: counts.clarifications,
        clarificationRate: ratio(counts.clarifications, counts.decisions),
        attempts: counts.attempts,
        errors: counts.errors,
        errorRate: ratio(counts.errors, counts.attempts),
        latencyMs: counts.latency,
        layers: layerRecord,
        experts: expertRecord,
      });
    }
  }
  return {
    generatedAt: new Date(settings.now).toISOString(),
    by: parts.unit,
    bucketMs,
    since: settings.since === undefined ? null : new Date(settings.since).toISOString(),
    until: settings.until === undefined ? null : new Date(settings.until).toISOString(),
    layerFilter: settings.layer ?? null,
    layers,
    experts,
    skipped: parts.skipped,
    buckets: out,
  };
}
