/**
 * What the dashboard shows, computed from the event store in one pass: the tracker's
 * per-layer analysis over the window plus hourly and per-minute time series and the most
 * recent decisions. The store is the truth, so with a shared PostgreSQL store every instance's
 * dashboard shows the whole fleet.
 */
import { createAnalyzer, type AnalysisReport, type AnalyzerOptions, type EventSource, type LatencySummary, type RoutingEvent, type TimeSeries, type TimeSeriesOptions } from "@moe-router/tracker";
import { SeriesAccumulator, judgeEvent, seriesPoint, type SeriesPoint } from "./series.js";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** One layer's row on the dashboard. Rates are null when their denominator is zero. */
export interface DashboardLayer {
  readonly layer: string;
  readonly attempts: number;
  readonly accepted: number;
  readonly acceptanceRate: number | null;
  /** Share of all decisions in the window this layer decided. */
  readonly coverage: number | null;
  readonly accuracy: number | null;
  readonly judged: number;
  /** Expected calibration error of accepted attempts with an outcome. */
  readonly ece: number | null;
  readonly calibrationSamples: number;
  readonly meanConfidence: number | null;
  readonly errors: number;
  readonly latency: Pick<LatencySummary, "count" | "p50" | "p95" | "p99">;
}

/** A recent decision, as listed on the dashboard. */
export interface DashboardDecision {
  readonly eventId: string;
  readonly timestamp: string;
  readonly description: string;
  readonly expert: string;
  readonly layer: string;
  readonly confidence: number;
  readonly correct: boolean | null;
}

/** A firing alert, when an alert monitor is attached. */
export interface DashboardAlert {
  readonly name: string;
  readonly message: string;
  readonly since?: string;
  readonly value?: number | null;
}

/** The JSON behind `GET /dashboard/data`. */
export interface DashboardSnapshot {
  readonly generatedAt: string;
  readonly windowHours: number;
  readonly totals: {
    readonly decisions: number;
    readonly withOutcome: number;
    readonly accuracy: number | null;
    readonly judged: number;
    readonly clarificationRate: number | null;
    readonly p50LatencyMs: number | null;
    readonly p95LatencyMs: number | null;
  };
  /** Generated sample decisions (`synthetic: true`) in the window, left out of every figure (0 with `includeSynthetic`). */
  readonly syntheticExcluded?: number;
  readonly layers: readonly DashboardLayer[];
  readonly experts: readonly { readonly expert: string; readonly count: number; readonly share: number | null }[];
  readonly clarificationReasons: Readonly<Record<string, number>>;
  /** One point per UTC hour of the window, oldest first (the last one is the current hour). */
  readonly hourly: readonly SeriesPoint[];
  /** One point per minute of the last hour, oldest first. */
  readonly minutely: readonly SeriesPoint[];
  readonly recent: readonly DashboardDecision[];
  /** Firing alerts, or null when no alert monitor is attached. */
  readonly alerts: readonly DashboardAlert[] | null;
}

/** Options of {@link buildSnapshot}. */
export interface SnapshotOptions {
  /** Hours of history (analysis window and hourly series). */
  readonly windowHours: number;
  /** Recent decisions to list. */
  readonly recent: number;
  /** Longest description shown for a recent decision, in characters. */
  readonly descriptionChars: number;
  readonly now: number;
  /** Count generated sample decisions (`synthetic: true`) too; left out by default. */
  readonly includeSynthetic?: boolean;
}

function layerRow(report: AnalysisReport["layers"][number]): DashboardLayer {
  return {
    layer: report.layer,
    attempts: report.attempts,
    accepted: report.accepted,
    acceptanceRate: report.acceptanceRate,
    coverage: report.coverage,
    accuracy: report.accuracy.rate,
    judged: report.accuracy.judged,
    ece: report.calibration.ece,
    calibrationSamples: report.calibration.samples,
    meanConfidence: report.meanConfidence,
    errors: report.errors,
    latency: { count: report.latency.count, p50: report.latency.p50, p95: report.latency.p95, p99: report.latency.p99 },
  };
}

function recentRow(event: RoutingEvent, descriptionChars: number): DashboardDecision {
  const description = String(event.task_description ?? "");
  return {
    eventId: event.event_id,
    timestamp: event.timestamp,
    description: description.length > descriptionChars ? `${description.slice(0, descriptionChars - 1)}…` : description,
    expert: event.selected_master,
    layer: event.routing_layer,
    confidence: event.confidence,
    correct: judgeEvent(event) ?? null,
  };
}

/** A source that computes the analysis and the series itself (the PostgreSQL store: in SQL). */
export interface ComputingSource extends EventSource {
  analyze(options: AnalyzerOptions): Promise<AnalysisReport>;
  timeSeries(options: TimeSeriesOptions): Promise<TimeSeries>;
  recentEvents(limit: number): Promise<RoutingEvent[]>;
}

/** True when `source` computes what the dashboard shows (no event has to stream through Node). */
export function computes(source: EventSource): source is ComputingSource {
  const s = source as Partial<ComputingSource>;
  return typeof s.analyze === "function" && typeof s.timeSeries === "function" && typeof s.recentEvents === "function";
}

/** A tracker time series as the dashboard's points. */
function points(series: TimeSeries): SeriesPoint[] {
  return series.buckets.map(seriesPoint);
}

/** The window's buckets of one width, ending with the one that holds `now` (as SeriesAccumulator lays them out). */
function range(bucketMs: number, buckets: number, now: number): { since: number; until: number } {
  const current = Math.floor(now / bucketMs) * bucketMs;
  return { since: current - (buckets - 1) * bucketMs, until: current + bucketMs };
}

/** The snapshot's parts from a computing source: its analysis, two series and its most recent decisions. */
async function computedParts(source: ComputingSource, options: SnapshotOptions) {
  const { now } = options;
  const hours = range(HOUR_MS, Math.ceil(options.windowHours), now),
    minutes = range(MINUTE_MS, 60, now);
  // Sample data written into the service's store must not pass for live traffic.
  const synthetic = options.includeSynthetic ? "include" : "exclude";
  const [report, hourly, minutely, latest] = await Promise.all([
    source.analyze({ windowHours: options.windowHours, now, synthetic }),
    source.timeSeries({ by: "hour", since: hours.since, until: hours.until, now, synthetic }),
    source.timeSeries({ by: "minute", since: minutes.since, until: minutes.until, now, synthetic }),
    // More than shown, so that left-out synthetic ones do not empty the list.
    source.recentEvents(options.includeSynthetic ? options.recent : options.recent * 4),
  ]);
  const since = Math.min(hours.since, now - options.windowHours * HOUR_MS);
  const recent = latest
    .filter((event) => {
      const time = Date.parse(event.timestamp);
      return time <= now && time >= since && (options.includeSynthetic || event.synthetic !== true);
    })
    .slice(0, options.recent)
    .map((event) => recentRow(event, options.descriptionChars));
  return { report, hourly: points(hourly), minutely: points(minutely), recent, syntheticExcluded: report.syntheticExcluded };
}

/** Reads the window once from `source` (newest first) into the analyzer, the two series and the recent list. */
async function streamedParts(source: EventSource, options: SnapshotOptions) {
  const { now } = options;
  const analyzer = createAnalyzer({ windowHours: options.windowHours, now });
  const hourly = new SeriesAccumulator({ bucketMs: HOUR_MS, buckets: Math.ceil(options.windowHours) }, now);
  const minutely = new SeriesAccumulator({ bucketMs: MINUTE_MS, buckets: 60 }, now);
  const since = Math.min(hourly.since, now - options.windowHours * HOUR_MS);
  const recent: DashboardDecision[] = [];
  let syntheticExcluded = 0;
  for await (const event of source.read({ since: new Date(since) })) {
    const time = Date.parse(event.timestamp);
    // Sample data written into the service's store must not pass for live traffic.
    if (event.synthetic === true && !options.includeSynthetic) {
      if (time >= now - options.windowHours * HOUR_MS && time <= now) syntheticExcluded++;
      continue;
    }
    analyzer.add(event);
    hourly.add(event);
    minutely.add(event);
    if (recent.length < options.recent && time <= now) recent.push(recentRow(event, options.descriptionChars));
  }
  return { report: analyzer.result(), hourly: hourly.result(), minutely: minutely.result(), recent, syntheticExcluded };
}

/**
 * Builds the dashboard's snapshot. A source that computes (the PostgreSQL store: analysis and
 * series in SQL, see {@link computes}) is asked for its figures; any other is read once over
 * the window (newest first).
 * @throws what the source throws (the plugin turns it into a coded 503).
 */
export async function buildSnapshot(source: EventSource, options: SnapshotOptions): Promise<Omit<DashboardSnapshot, "alerts">> {
  const { now } = options;
  const { report, hourly, minutely, recent, syntheticExcluded } = computes(source) ? await computedParts(source, options) : await streamedParts(source, options);
  const overall = report.overall;
  return {
    generatedAt: new Date(now).toISOString(),
    windowHours: options.windowHours,
    totals: {
      decisions: overall.decisions,
      withOutcome: overall.withOutcome,
      accuracy: overall.accuracy.rate,
      judged: overall.accuracy.judged,
      clarificationRate: report.clarification.rate,
      p50LatencyMs: overall.latency.p50,
      p95LatencyMs: overall.latency.p95,
    },
    syntheticExcluded,
    layers: report.layers.map(layerRow),
    experts: report.experts.slice(0, 12).map((entry) => ({ expert: entry.expert, count: entry.count, share: entry.share })),
    clarificationReasons: report.clarification.reasons,
    hourly,
    minutely,
    recent,
  };
}
