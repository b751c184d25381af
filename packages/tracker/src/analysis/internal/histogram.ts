import type { LatencySummary } from "../types.js";

/**
 * Relative accuracy of a bucket's representative value. Buckets grow geometrically by
 * gamma = (1 + a) / (1 - a), and the representative 2·gamma^i / (gamma + 1) is within `a` of
 * every value in (gamma^(i-1), gamma^i] (the DDSketch construction). 0.5 % keeps percentiles
 * comfortably inside the 1 % promised by the report.
 */
const RELATIVE_ACCURACY = 0.005;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Smallest value with its own bucket (1 µs when values are milliseconds); below goes to `underflow`. */
const MIN_VALUE = 1e-3;
/** Largest value with its own bucket (~2.8 h in ms); above goes to `overflow`. */
const MAX_VALUE = 1e7;
const MIN_INDEX = Math.ceil(Math.log(MIN_VALUE) / LOG_GAMMA);
const MAX_INDEX = Math.ceil(Math.log(MAX_VALUE) / LOG_GAMMA);
const BUCKETS = MAX_INDEX - MIN_INDEX + 1;

/** The bucketing constants, for code that computes bucket keys elsewhere (the PostgreSQL analysis, in SQL). */
export const HISTOGRAM_LIMITS = { minValue: MIN_VALUE, maxValue: MAX_VALUE, logGamma: LOG_GAMMA } as const;

/** Summary figures of a histogram whose bucket counts are given apart (see {@link LogHistogram.fromBuckets}). */
export interface HistogramTotals {
  readonly total: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly underflow: number;
  readonly overflow: number;
}

/**
 * The log-bucket key of a latency in (MIN_VALUE, MAX_VALUE], -Infinity below and +Infinity
 * above: for sparse histograms that share this histogram's accuracy.
 */
export function bucketKey(value: number): number {
  if (value < MIN_VALUE) return Number.NEGATIVE_INFINITY;
  if (value > MAX_VALUE) return Number.POSITIVE_INFINITY;
  return Math.ceil(Math.log(value) / LOG_GAMMA);
}

/** The representative value of a finite {@link bucketKey} (within 0.5 % of every value in it). */
export function bucketValue(key: number): number {
  return (2 * Math.pow(GAMMA, key)) / (GAMMA + 1);
}

/** A histogram's state as plain data. */
export interface HistogramSnapshot {
  readonly counts: Float64Array;
  readonly underflow: number;
  readonly overflow: number;
  readonly total: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
}

/**
 * A fixed-size log-bucket histogram (about 2,300 counters, 18 KB) for streaming percentiles:
 * memory does not grow with the number of samples, and two histograms merge by addition.
 */
export class LogHistogram {
  private counts = new Float64Array(BUCKETS);
  private underflow = 0;
  private overflow = 0;
  private total = 0;
  private sum = 0;
  private minimum = Number.POSITIVE_INFINITY;
  private maximum = Number.NEGATIVE_INFINITY;

  /** Plain data for another thread (structured-clone friendly). */
  snapshot(): HistogramSnapshot {
    return { counts: this.counts, underflow: this.underflow, overflow: this.overflow, total: this.total, sum: this.sum, minimum: this.minimum, maximum: this.maximum };
  }

  /** A histogram from {@link snapshot} data. */
  static from(snapshot: HistogramSnapshot): LogHistogram {
    const histogram = new LogHistogram();
    histogram.counts = Float64Array.from(snapshot.counts);
    histogram.underflow = snapshot.underflow;
    histogram.overflow = snapshot.overflow;
    histogram.total = snapshot.total;
    histogram.sum = snapshot.sum;
    histogram.minimum = snapshot.minimum;
    histogram.maximum = snapshot.maximum;
    return histogram;
  }

  /**
   * A histogram from bucket counts keyed by {@link bucketKey} (computed elsewhere, e.g. by a
   * GROUP BY in SQL) and its totals; keys outside the bucketed range are ignored.
   */
  static fromBuckets(buckets: Iterable<readonly [number, number]>, totals: HistogramTotals): LogHistogram {
    const histogram = new LogHistogram();
    for (const [key, count] of buckets) {
      const index = key - MIN_INDEX;
      if (Number.isInteger(index) && index >= 0 && index < BUCKETS) histogram.counts[index]! += count;
    }
    histogram.underflow = totals.underflow;
    histogram.overflow = totals.overflow;
    histogram.total = totals.total;
    histogram.sum = totals.sum;
    histogram.minimum = totals.total > 0 ? totals.minimum : Number.POSITIVE_INFINITY;
    histogram.maximum = totals.total > 0 ? totals.maximum : Number.NEGATIVE_INFINITY;
    return histogram;
  }

  /** Adds one sample; negative, NaN and infinite values are ignored (they are not latencies). */
  add(value: number): void {
    if (!(value >= 0) || value === Number.POSITIVE_INFINITY) return;
    this.total++;
    this.sum += value;
    if (value < this.minimum) this.minimum = value;
    if (value > this.maximum) this.maximum = value;
    if (value < MIN_VALUE) this.underflow++;
    else if (value > MAX_VALUE) this.overflow++;
    else this.counts[Math.ceil(Math.log(value) / LOG_GAMMA) - MIN_INDEX]!++;
  }

  /** Adds every sample of `other` to this histogram. */
  merge(other: LogHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.underflow += other.underflow;
    this.overflow += other.overflow;
    this.total += other.total;
    this.sum += other.sum;
    this.minimum = Math.min(this.minimum, other.minimum);
    this.maximum = Math.max(this.maximum, other.maximum);
  }

  /** Number of samples. */
  get count(): number {
    return this.total;
  }

  /**
   * The nearest-rank quantile (the smallest sample with at least q·n samples at or below it),
   * estimated within 0.5 % relative error; null when empty.
   */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = this.underflow;
    // Underflow samples are below 1 µs: the exact minimum is the best estimate we have.
    if (seen >= rank) return this.minimum;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const estimate = (2 * Math.pow(GAMMA, i + MIN_INDEX)) / (GAMMA + 1);
        // Clamping to the observed range makes single-bucket data exact at the extremes.
        return Math.min(this.maximum, Math.max(this.minimum, estimate));
      }
    }
    return this.maximum;
  }

  /** Count, min, max, mean and p50/p95/p99. */
  summary(): LatencySummary {
    if (this.total === 0) return { count: 0, min: null, max: null, mean: null, p50: null, p95: null, p99: null };
    return {
      count: this.total,
      min: this.minimum,
      max: this.maximum,
      mean: this.sum / this.total,
      p50: this.quantile(0.5),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
    };
  }
}
