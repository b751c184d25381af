import type { TimeBucket, TimeSeries } from "../../timeseries/types.js";

/** One plotted line: a label and one value per column (null: no data there). */
export interface TrendLine {
  readonly label: string;
  /** Which group it belongs to (one chart per group in HTML). */
  readonly group: TrendGroup;
  readonly values: readonly (number | null)[];
  /** "share" lines are rates in [0,1]; "count" and "ms" are plain numbers. */
  readonly kind: "share" | "count" | "ms";
}

/** The charts of the trend section. */
export type TrendGroup = "decisions" | "accuracy" | "acceptance" | "rates" | "latency" | "experts";

const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);
const sum = (buckets: readonly TimeBucket[], pick: (bucket: TimeBucket) => number) => buckets.reduce((total, bucket) => total + pick(bucket), 0);

/** The largest of the buckets' p95s (a p95 cannot be merged from p95s; the max bounds it). */
function maxOf(values: readonly (number | null)[]): number | null {
  let max: number | null = null;
  for (const value of values) if (value !== null && (max === null || value > max)) max = value;
  return max;
}

/** Splits buckets into at most `columns` consecutive groups of equal size (the last may be shorter). */
export function groupBuckets(buckets: readonly TimeBucket[], columns: number): TimeBucket[][] {
  const size = Math.max(1, Math.ceil(buckets.length / Math.max(1, columns)));
  const groups: TimeBucket[][] = [];
  for (let start = 0; start < buckets.length; start += size) groups.push(buckets.slice(start, start + size));
  return groups;
}

/**
 * The trend lines of a series, merged to at most `columns` points: counts are summed, rates are
 * recomputed from the summed numerators and denominators, p95s take the group's maximum.
 * `experts` top experts get a share line each.
 */
export function trendLines(series: TimeSeries, columns: number, experts = 3): { lines: TrendLine[]; groups: TimeBucket[][] } {
  const groups = groupBuckets(series.buckets, columns);
  const per = (pick: (group: TimeBucket[]) => number | null) => groups.map(pick);
  const lines: TrendLine[] = [
    { label: "decisions", group: "decisions", kind: "count", values: per((g) => sum(g, (b) => b.decisions)) },
    {
      label: "accuracy",
      group: "accuracy",
      kind: "share",
      values: per((g) =>
        ratio(
          sum(g, (b) => b.accuracy.correct),
          sum(g, (b) => b.accuracy.judged),
        ),
      ),
    },
  ];
  for (const layer of series.layers) {
    lines.push({
      label: `${layer} acc`,
      group: "accuracy",
      kind: "share",
      values: per((g) =>
        ratio(
          sum(g, (b) => b.layers[layer]?.accuracy.correct ?? 0),
          sum(g, (b) => b.layers[layer]?.accuracy.judged ?? 0),
        ),
      ),
    });
  }
  for (const layer of series.layers) {
    lines.push({
      label: `${layer} accept`,
      group: "acceptance",
      kind: "share",
      values: per((g) =>
        ratio(
          sum(g, (b) => b.layers[layer]?.accepted ?? 0),
          sum(g, (b) => b.layers[layer]?.attempts ?? 0),
        ),
      ),
    });
  }
  lines.push(
    {
      label: "clarified",
      group: "rates",
      kind: "share",
      values: per((g) =>
        ratio(
          sum(g, (b) => b.clarifications),
          sum(g, (b) => b.decisions),
        ),
      ),
    },
    {
      label: "errors",
      group: "rates",
      kind: "share",
      values: per((g) =>
        ratio(
          sum(g, (b) => b.errors),
          sum(g, (b) => b.attempts),
        ),
      ),
    },
    {
      label: "outcomes",
      group: "rates",
      kind: "share",
      values: per((g) =>
        ratio(
          sum(g, (b) => b.withOutcome),
          sum(g, (b) => b.decisions),
        ),
      ),
    },
    { label: "p95 total", group: "latency", kind: "ms", values: per((g) => maxOf(g.map((b) => b.latencyMs.p95))) },
  );
  for (const layer of series.layers) {
    lines.push({ label: `${layer} p95`, group: "latency", kind: "ms", values: per((g) => maxOf(g.map((b) => b.layers[layer]?.latencyMs.p95 ?? null))) });
  }
  for (const expert of series.experts.slice(0, experts)) {
    lines.push({
      label: expert,
      group: "experts",
      kind: "share",
      values: per((g) =>
        ratio(
          sum(g, (b) => b.experts[expert] ?? 0),
          sum(g, (b) => b.decisions),
        ),
      ),
    });
  }
  return { lines, groups };
}
