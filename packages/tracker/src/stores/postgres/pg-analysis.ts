import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import { coreSettings } from "../../analysis/analyzer.js";
import { AnalyzerCore, emptyTotals, type CoreSnapshot } from "../../analysis/internal/analyzer-core.js";
import type { ExperimentSnapshot } from "../../analysis/internal/experiment-accumulator.js";
import { LogHistogram, type HistogramSnapshot } from "../../analysis/internal/histogram.js";
import type { LayerSnapshot } from "../../analysis/internal/layer-accumulator.js";
import type { ReliabilitySnapshot } from "../../analysis/internal/reliability.js";
import type { AnalysisReport, AnalyzerOptions } from "../../analysis/types.js";
import type { QueryablePool } from "../../types.js";
import { longQuery } from "./long-query.js";
import { OVERFLOW_BUCKET, UNDERFLOW_BUCKET, analysisStatement } from "./sql/analysis-sql.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type LayerCounts = Mutable<LayerSnapshot["counts"]>;
type Row = Record<string, unknown>;

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const text = (value: unknown): string => value as string;

function reliability(bins: number): Mutable<ReliabilitySnapshot> {
  return { count: new Float64Array(bins), confidenceSum: new Float64Array(bins), correctSum: new Float64Array(bins), samples: 0 };
}

function increment(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** Latency sums and bucket counts per layer ("" for the decision level). */
class LatencyParts {
  private readonly parts = new Map<string, { buckets: [number, number][]; total: number; sum: number; minimum: number; maximum: number; underflow: number; overflow: number }>();

  add(key: string, bucket: number, row: Row): void {
    let part = this.parts.get(key);
    if (!part) this.parts.set(key, (part = { buckets: [], total: 0, sum: 0, minimum: Number.POSITIVE_INFINITY, maximum: Number.NEGATIVE_INFINITY, underflow: 0, overflow: 0 }));
    const n = num(row.n);
    part.total += n;
    part.sum += num(row.latency_sum);
    part.minimum = Math.min(part.minimum, num(row.latency_min));
    part.maximum = Math.max(part.maximum, num(row.latency_max));
    if (bucket === UNDERFLOW_BUCKET) part.underflow += n;
    else if (bucket === OVERFLOW_BUCKET) part.overflow += n;
    else part.buckets.push([bucket, n]);
  }

  snapshot(key: string): HistogramSnapshot {
    const part = this.parts.get(key);
    return part ? LogHistogram.fromBuckets(part.buckets, part).snapshot() : new LogHistogram().snapshot();
  }
}

interface LayerParts {
  counts: LayerCounts;
  newest: number;
  errorCodes: Map<string, number>;
  experts: Map<string, number>;
  live: Mutable<ReliabilitySnapshot>;
  shadow?: Mutable<ReliabilitySnapshot>;
}

/** Rolls the aggregated rows up into the analyzer's state (what its accumulators would hold after every event). */
export function snapshotOf(rows: readonly Row[], bins: number): { snapshot: CoreSnapshot; issues: { invalidRecords: number; invalidFields: number } } {
  const totals: Mutable<CoreSnapshot["totals"]> = emptyTotals();
  const issues = { invalidRecords: 0, invalidFields: 0 };
  const decidedBy = new Map<string, number>(),
    experts = new Map<string, number>(),
    reasons = new Map<string, number>(),
    pairs = new Map<string, number>();
  const corrections = new Map<string, Map<string, number>>();
  const experiments = new Map<string, ExperimentSnapshot>();
  const latency = new LatencyParts();
  const layers = new Map<string, LayerParts>();
  const layer = (name: string): LayerParts => {
    let entry = layers.get(name);
    if (!entry) {
      const counts: LayerCounts = { position: Number.POSITIVE_INFINITY, attempts: 0, accepted: 0, errors: 0, judged: 0, correct: 0, confidenceSum: 0, confidenceCount: 0, shadowAttempts: 0 };
      layers.set(name, (entry = { counts, newest: Number.NEGATIVE_INFINITY, errorCodes: new Map(), experts: new Map(), live: reliability(bins) }));
    }
    return entry;
  };
  const addDecisions = (row: Row, n: number) => {
    if (row.usable === false) return void (issues.invalidRecords += n);
    issues.invalidFields += num(row.bad);
    // Out of scope (layer filter) is skipped; in scope but generated sample data left out is counted apart.
    if (row.kept !== true) return void (row.excluded === true ? (totals.synthetic += n) : (totals.skipped += n));
    const expert = text(row.expert),
      routedBy = text(row.routed_by);
    totals.decisions += n;
    totals.first = Math.min(totals.first, num(row.first));
    totals.last = Math.max(totals.last, num(row.last));
    increment(experts, expert, n);
    increment(decidedBy, routedBy, n);
    if (row.has_outcome === true) totals.withOutcome += n;
    if (row.verdict !== 0) totals.judged += n;
    if (row.verdict === 1) totals.correct += n;
    if (row.completed === true) totals.completed += n;
    totals.minutesSum += num(row.minutes_sum);
    totals.minutesCount += num(row.minutes_n);
    totals.qualitySum += num(row.quality_sum);
    totals.qualityCount += num(row.quality_n);
    totals.reRecorded += num(row.rerecorded);
    if (routedBy === "clarification") {
      totals.clarifications += n;
      increment(reasons, text(row.reason), n);
      // Sorted in JavaScript, as the streaming analyzer sorts them (UTF-16 order, not the database's collation).
      if (row.c0 !== null && row.c1 !== null) increment(pairs, [text(row.c0), text(row.c1)].sort().join(" | "), n);
    }
    if (row.corrected !== null) {
      totals.corrections += n;
      let into = corrections.get(expert);
      if (!into) corrections.set(expert, (into = new Map()));
      increment(into, text(row.corrected), n);
    }
    if (row.experiment !== null) {
      const name = text(row.experiment);
      let experiment = experiments.get(name);
      if (!experiment) {
        experiment = { name, control: { decisions: 0, judged: 0, correct: 0, clarifications: 0 }, candidate: { decisions: 0, judged: 0, correct: 0, clarifications: 0 } };
        experiments.set(name, experiment);
      }
      // Other variant names are not part of an A/B split: the experiment is listed, they are not counted.
      const variant = row.variant === "control" || row.variant === "candidate" ? experiment[row.variant] : undefined;
      if (variant) {
        variant.decisions += n;
        if (routedBy === "clarification") variant.clarifications += n;
        if (row.verdict !== 0) variant.judged += n;
        if (row.verdict === 1) variant.correct += n;
      }
    }
  };
  const addAttempts = (row: Row, n: number) => {
    const entry = layer(text(row.name));
    const c = entry.counts;
    c.position = Math.min(c.position, num(row.position));
    entry.newest = Math.max(entry.newest, num(row.newest));
    const hit = row.hit as boolean | null,
      bin = row.bin as number | null;
    if (row.shadow === true) {
      c.shadowAttempts += n;
      if (hit !== null && bin !== null) addBin((entry.shadow ??= reliability(bins)), bin, n, row, hit);
      return;
    }
    c.attempts += n;
    if (row.errored === true) {
      c.errors += n;
      increment(entry.errorCodes, text(row.code), n);
    }
    if (row.named !== null && bin !== null) {
      c.confidenceSum += num(row.confidence_sum);
      c.confidenceCount += n;
    }
    if (row.success === true) {
      c.accepted += n;
      if (row.named !== null) increment(entry.experts, text(row.named), n);
    }
    if (hit !== null) {
      c.judged += n;
      if (hit) c.correct += n;
      if (bin !== null) addBin(entry.live, bin, n, row, hit);
    }
  };
  // Newest decisions first, as the streaming analyzer meets them: the corrections matrix keeps
  // its rows in that order (the other maps are sorted by count).
  const ordered = [...rows].sort((a, b) => num(b.newest) - num(a.newest));
  for (const row of ordered) {
    const n = num(row.n);
    switch (row.kind) {
      case "d":
        addDecisions(row, n);
        break;
      case "a":
        issues.invalidFields += num(row.bad);
        if (row.counted === true) addAttempts(row, n);
        break;
      case "l":
        latency.add(row.name === null ? "" : text(row.name), Number(row.lb), row);
        break;
      case "o":
        issues.invalidRecords += n;
        issues.invalidFields += num(row.bad);
        break;
      default:
        throw new Error(`unexpected row kind ${JSON.stringify(row.kind)} in the analysis rows`);
    }
  }
  // The streaming analyzer lists layers by cascade position, ties in the order it met them
  // (newest event first): the layer seen in the newest event comes first.
  const cascade = [...layers].sort(([, a], [, b]) => a.counts.position - b.counts.position || b.newest - a.newest);
  const snapshot: CoreSnapshot = {
    totals,
    decidedBy,
    experts,
    corrections,
    clarificationReasons: reasons,
    ambiguousPairs: pairs,
    totalLatency: latency.snapshot(""),
    layers: cascade.map(([name, entry]) => ({
      name,
      counts: entry.counts,
      errorCodes: entry.errorCodes,
      experts: entry.experts,
      latency: latency.snapshot(name),
      calibration: entry.live,
      shadowCalibration: entry.shadow,
    })),
    experiments: [...experiments.values()],
  };
  return { snapshot, issues };
}

function addBin(target: Mutable<ReliabilitySnapshot>, bin: number, n: number, row: Row, hit: boolean): void {
  target.count[bin]! += n;
  target.confidenceSum[bin]! += num(row.confidence_sum);
  if (hit) target.correctSum[bin]! += n;
  target.samples += n;
}

/**
 * `analyze` computed in PostgreSQL (see sql/analysis-sql.ts): the same report as streaming the
 * store's `read()` through {@link createAnalyzer}, with only the aggregates sent to Node.
 * `dataIssues` counts what the JSONL reader counts: malformed decisions in the window and their
 * malformed fields, and malformed outcomes (and fields) recorded in the window, superseded ones
 * too (the JSONL reader counts every outcome line, even outside the window). Duplicates are
 * refused at write time and torn lines cannot occur: both 0.
 * @throws MoeRouterError STORE_FAILED when the query fails; INVALID_CONFIG / UNKNOWN_OPTION for bad options.
 */
export async function pgAnalysis(pool: QueryablePool, prefix: string, description: string, options: AnalyzerOptions = {}, timeoutMs = 600_000): Promise<AnalysisReport> {
  const settings = coreSettings(options);
  const join = settings.since === undefined ? "hash" : "lookup";
  let rows: Row[];
  try {
    const result = await longQuery(
      pool,
      analysisStatement(`${prefix}_decisions`, `${prefix}_outcomes`, join),
      [settings.since === undefined ? null : new Date(settings.since), null, settings.layer ?? null, settings.bins, settings.excludeSynthetic],
      timeoutMs,
    );
    rows = result.rows;
  } catch (error) {
    if (isMoeRouterError(error)) throw error;
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Analysing ${description} failed: ${(error as Error).message}. Check that the server is running and the tables were written by this version.`, {
      cause: error,
    });
  }
  const { snapshot, issues } = snapshotOf(rows, settings.bins);
  const core = new AnalyzerCore(settings);
  core.merge(snapshot);
  return { ...core.result(), dataIssues: { tornLines: 0, invalidRecords: issues.invalidRecords, invalidFields: issues.invalidFields, duplicates: 0 } };
}
