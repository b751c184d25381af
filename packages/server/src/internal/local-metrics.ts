/**
 * Metrics recorded on the request path at the cost of a few array writes, read by
 * prom-client only when `/metrics` is scraped.
 *
 * prom-client validates and hashes the label set on every `inc()` / `observe()`, even through
 * a `labels()` child: about 10 µs per decision, a few per cent of a request's CPU. Here each
 * label set gets a plain object once; recording adds to its numbers; the Prometheus view is
 * built at scrape time (the counters' `collect()`, the histogram's `get()`), so what a scrape
 * shows is exactly what was recorded up to it.
 */
import { Counter, type Registry } from "prom-client";

/** One label set of a {@link LocalCounter}: add to `pending`; the scrape moves it into prom-client. */
export interface CounterCell {
  pending: number;
}

/** A prom-client counter whose increments are summed locally and handed over at each scrape. */
export class LocalCounter<L extends string> {
  private readonly cells = new Map<string, CounterCell & { readonly labels: Partial<Record<L, string>> }>();

  constructor(options: { readonly name: string; readonly help: string; readonly labelNames: readonly L[]; readonly registers: Registry[] }) {
    const cells = this.cells;
    new Counter<L>({
      ...options,
      collect() {
        for (const cell of cells.values()) {
          if (cell.pending === 0) continue;
          this.inc(cell.labels, cell.pending);
          cell.pending = 0;
        }
      },
    });
  }

  /** The cell for a label set; `key` must identify it (e.g. the values joined by NUL). */
  cell(key: string, labels: () => Partial<Record<L, string>>): CounterCell {
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = { pending: 0, labels: labels() }));
    return cell;
  }
}

/** A sample as prom-client's Registry formats it. */
export interface MetricSample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName: string;
  /** prom-client's buckets carry `exemplar: null` when exemplars are off. */
  readonly exemplar?: null;
}

/** One label set of a {@link LocalHistogram}. */
export interface HistogramCell {
  observe(value: number): void;
}

class Series implements HistogramCell {
  /** Observations per bucket (not cumulative); the last slot is above the highest bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: Readonly<Record<string, string>>,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    // A non-number is a bug in the caller; prom-client would throw, a metric must not break a request.
    if (!Number.isFinite(value)) return;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/**
 * A histogram with one label, exposed through a prom-client registry in prom-client's own
 * format (`_bucket{le}` cumulative, `+Inf`, `_sum`, `_count`). It is registered as a metric
 * object: prom-client's Registry reads `name`, `help`, `type`, `aggregator` and `get()`.
 */
export class LocalHistogram<L extends string> {
  readonly type = "histogram" as const;
  readonly aggregator = "sum" as const;
  readonly name: string;
  readonly help: string;
  private readonly bounds: readonly number[];
  private readonly labelName: L;
  private readonly series = new Map<string, Series>();

  constructor(options: { readonly name: string; readonly help: string; readonly labelName: L; readonly buckets: readonly number[]; readonly registers: Registry[] }) {
    this.name = options.name;
    this.help = options.help;
    this.labelName = options.labelName;
    this.bounds = [...options.buckets].sort((a, b) => a - b);
    if (this.labelName === ("le" as string)) throw new TypeError("le is a reserved label name");
    // The Registry only needs the fields above and get(); its parameter type names prom-client's own classes.
    for (const registry of options.registers) registry.registerMetric(this as unknown as Parameters<Registry["registerMetric"]>[0]);
  }

  /** The series of one label value. */
  cell(value: string): HistogramCell {
    let series = this.series.get(value);
    if (!series) this.series.set(value, (series = new Series(this.bounds, { [this.labelName]: value })));
    return series;
  }

  /** Empties every series (the Registry's resetMetrics()). */
  reset(): void {
    this.series.clear();
  }

  /** The metric as prom-client's Histogram.get() gives it. */
  async get(): Promise<{ name: string; help: string; type: "histogram"; aggregator: "sum"; values: MetricSample[] }> {
    const values: MetricSample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const series of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += series.counts[i]!;
        values.push({ labels: { le: this.bounds[i]!, ...series.labels }, value: cumulative, metricName: bucket, exemplar: null });
      }
      values.push({ labels: { le: "+Inf", ...series.labels }, value: series.count, metricName: bucket, exemplar: null });
      values.push({ labels: { ...series.labels }, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...series.labels }, value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
