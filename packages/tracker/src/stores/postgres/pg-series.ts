import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import type { QueryablePool } from "../../types.js";
import { UNIT_MS, autoUnit, checkBucketCount, seriesSettings, type SeriesSettings } from "../../timeseries/settings.js";
import type { BucketUnit, LatencyQuantile, TimeSeries, TimeSeriesOptions } from "../../timeseries/types.js";
import { buildSeries, type BucketCounts, type LayerCounts } from "../../timeseries/internal/build-series.js";
import { seriesStatement, spanStatement } from "./sql/series-sql.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Stats = Record<string, number | null>;

const num = (value: unknown): number => (typeof value === "number" ? value : Number(value ?? 0));
const maybe = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function latencyOf(stats: Stats): LatencyQuantile {
  return { count: num(stats.count), p95: maybe(stats.p95), p95Low: maybe(stats.low), p95High: maybe(stats.high) };
}

const NO_LATENCY: LatencyQuantile = { count: 0, p95: null, p95Low: null, p95High: null };

interface MutableBucket extends Omit<Mutable<BucketCounts>, "layers" | "experts"> {
  layers: Map<string, Mutable<LayerCounts>>;
  experts: Map<string, number>;
}

function emptyBucket(): MutableBucket {
  return { decisions: 0, withOutcome: 0, judged: 0, correct: 0, clarifications: 0, attempts: 0, errors: 0, latency: NO_LATENCY, layers: new Map(), experts: new Map() };
}

function layerIn(bucket: MutableBucket, name: string): Mutable<LayerCounts> {
  let layer = bucket.layers.get(name);
  if (!layer) bucket.layers.set(name, (layer = { attempts: 0, accepted: 0, errors: 0, judged: 0, correct: 0, latency: NO_LATENCY }));
  return layer;
}

/** Resolves "auto" and checks the bucket count against the events' span when the range is open. */
async function resolveUnit(pool: QueryablePool, decisions: string, settings: SeriesSettings): Promise<{ unit: BucketUnit | "custom"; bucketMs: number }> {
  if (settings.by !== "auto" && settings.since !== undefined && settings.until !== undefined) return { unit: settings.by, bucketMs: settings.bucketMs };
  const { rows } = await pool.query(spanStatement(decisions), [
    settings.since === undefined ? null : new Date(settings.since),
    settings.until === undefined ? null : new Date(settings.until),
    settings.excludeSynthetic,
  ]);
  const first = rows[0]?.first === null || rows[0]?.first === undefined ? undefined : Number(rows[0].first);
  const last = rows[0]?.last === null || rows[0]?.last === undefined ? undefined : Number(rows[0].last);
  let unit: BucketUnit | "custom" = settings.by === "auto" ? "minute" : settings.by;
  if (settings.by === "auto" && first !== undefined && last !== undefined) unit = autoUnit(last - first);
  const bucketMs = unit === "custom" ? settings.bucketMs : UNIT_MS[unit];
  if (first !== undefined && last !== undefined) {
    checkBucketCount({ ...settings, bucketMs, origin: unit === "custom" ? settings.origin : 0 }, settings.since ?? first, settings.until ?? last + 1);
  }
  return { unit, bucketMs };
}

/**
 * The time series computed in PostgreSQL (see sql/series-sql.ts); same result as streaming the
 * store's events through the accumulator, latency order statistics exact rather than within 0.5 %.
 * @throws MoeRouterError STORE_FAILED when the query fails; INVALID_CONFIG for bad options.
 */
export async function pgTimeSeries(pool: QueryablePool, prefix: string, description: string, options: TimeSeriesOptions = {}): Promise<TimeSeries> {
  const settings = seriesSettings(options);
  const decisions = `${prefix}_decisions`;
  try {
    const { unit, bucketMs } = await resolveUnit(pool, decisions, settings);
    const origin = unit === "custom" ? settings.origin : 0;
    const { rows } = await pool.query(seriesStatement(decisions, `${prefix}_outcomes`), [
      settings.since === undefined ? null : new Date(settings.since),
      settings.until === undefined ? null : new Date(settings.until),
      origin,
      bucketMs,
      settings.layer ?? null,
      settings.excludeSynthetic,
    ]);
    const buckets = new Map<number, MutableBucket>();
    const positions = new Map<string, number>();
    for (const row of rows) {
      const index = Number(row.b);
      let bucket = buckets.get(index);
      if (!bucket) buckets.set(index, (bucket = emptyBucket()));
      const stats = (typeof row.stats === "string" ? JSON.parse(row.stats) : row.stats) as Stats;
      const key = row.key as string | null;
      switch (row.kind) {
        case "d":
          bucket.decisions = num(stats.decisions);
          bucket.withOutcome = num(stats.withOutcome);
          bucket.judged = num(stats.judged);
          bucket.correct = num(stats.correct);
          bucket.clarifications = num(stats.clarifications);
          break;
        case "e":
          bucket.experts.set(key!, num(stats.count));
          break;
        case "a":
          bucket.attempts = num(stats.attempts);
          bucket.errors = num(stats.errors);
          break;
        case "l": {
          const layer = layerIn(bucket, key!);
          layer.attempts = num(stats.attempts);
          layer.accepted = num(stats.accepted);
          layer.errors = num(stats.errors);
          layer.judged = num(stats.judged);
          layer.correct = num(stats.correct);
          const position = num(stats.position);
          if (!(positions.get(key!)! <= position)) positions.set(key!, position);
          break;
        }
        case "p":
          if (key === null) bucket.latency = latencyOf(stats);
          else layerIn(bucket, key).latency = latencyOf(stats);
          break;
      }
    }
    return buildSeries({ settings, unit, bucketMs, buckets, positions, skipped: 0 });
  } catch (error) {
    if (isMoeRouterError(error)) throw error;
    throw new MoeRouterError(
      ErrorCode.STORE_FAILED,
      `Computing the time series in ${description} failed: ${(error as Error).message}. Check that the server is running and the tables were written by this version.`,
      { cause: error },
    );
  }
}
