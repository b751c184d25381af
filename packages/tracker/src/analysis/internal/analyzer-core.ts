import type { Outcome, RoutingEvent } from "../../records.js";
import type { AnalysisReport } from "../types.js";
import { addCounts, increment, ratio, sortedEntries, toRecord } from "./counting.js";
import { ExperimentAccumulator, type ExperimentSnapshot } from "./experiment-accumulator.js";
import { LogHistogram, type HistogramSnapshot } from "./histogram.js";
import { parseIsoTime } from "./iso-time.js";
import { RIGHT, UNKNOWN, judge, rightExpert } from "../../outcome-judgement.js";
import { LayerAccumulator, type LayerSnapshot } from "./layer-accumulator.js";

/** Settings of an analysis, already validated. */
export interface CoreSettings {
  readonly now: number;
  readonly windowHours: number | undefined;
  /** Lower bound of the window, epoch ms. */
  readonly since: number | undefined;
  readonly layer: string | undefined;
  /** Leave out decisions marked `synthetic` (generated sample data). */
  readonly excludeSynthetic: boolean;
  readonly bins: number;
  readonly alpha: number;
}

type Totals = Record<
  | "decisions"
  | "skipped"
  | "synthetic"
  | "withOutcome"
  | "judged"
  | "correct"
  | "completed"
  | "clarifications"
  | "corrections"
  | "reRecorded"
  | "minutesSum"
  | "minutesCount"
  | "qualitySum"
  | "qualityCount"
  | "first"
  | "last",
  number
>;

/** The whole state as plain data, for moving it between threads. */
export interface CoreSnapshot {
  readonly totals: Totals;
  readonly decidedBy: Map<string, number>;
  readonly experts: Map<string, number>;
  readonly corrections: Map<string, Map<string, number>>;
  readonly clarificationReasons: Map<string, number>;
  readonly ambiguousPairs: Map<string, number>;
  readonly totalLatency: HistogramSnapshot;
  readonly layers: LayerSnapshot[];
  readonly experiments: ExperimentSnapshot[];
}

const CLARIFICATION = "clarification";

/** Outcome records beyond the first, from a reader's `outcome_records` count (absent: one). */
export function reRecords(records: unknown): number {
  return typeof records === "number" && Number.isInteger(records) && records > 1 ? records - 1 : 0;
}

/** True when the event belongs to the `layer` filter: the layer attempted it live or decided it. */
function touches(event: RoutingEvent, layer: string): boolean {
  if (event.routing_layer === layer) return true;
  const attempts = event.layer_attempts;
  if (!Array.isArray(attempts)) return false;
  for (const attempt of attempts) if (attempt.layer_name === layer && attempt.shadow !== true) return true;
  return false;
}

/** The totals of an analysis of no events (the SQL path starts from these too). */
export function emptyTotals(): Totals {
  return {
    decisions: 0,
    skipped: 0,
    synthetic: 0,
    withOutcome: 0,
    judged: 0,
    correct: 0,
    completed: 0,
    clarifications: 0,
    corrections: 0,
    reRecorded: 0,
    minutesSum: 0,
    minutesCount: 0,
    qualitySum: 0,
    qualityCount: 0,
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
  };
}

/**
 * The analyzer's accumulators. Outcome-independent counts are added once per decision; what
 * an outcome says is added by {@link applyOutcome}, which the parallel reader can also call
 * later, or with sign -1 to take back an outcome that a newer one replaced.
 */
export class AnalyzerCore {
  private readonly totals: Totals = emptyTotals();
  private readonly layers = new Map<string, LayerAccumulator>();
  private readonly experiments = new Map<string, ExperimentAccumulator>();
  private readonly decidedBy = new Map<string, number>();
  private readonly experts = new Map<string, number>();
  private readonly corrections = new Map<string, Map<string, number>>();
  private readonly clarificationReasons = new Map<string, number>();
  private readonly ambiguousPairs = new Map<string, number>();
  private totalLatency = new LogHistogram();

  constructor(readonly settings: CoreSettings) {}

  /** True when the event is a decision inside the window and the layer filter (synthetic or not). */
  private inScope(event: RoutingEvent): boolean {
    if (event === null || typeof event !== "object" || typeof event.selected_master !== "string") return false;
    // Without a window an undated event still counts; with one it cannot be placed, so it is left out.
    if (this.settings.since !== undefined && !(parseIsoTime(event.timestamp) >= this.settings.since)) return false;
    return this.settings.layer === undefined || touches(event, this.settings.layer);
  }

  /** True when the event counts: a decision inside the window and the layer filter, and not a left-out synthetic one. */
  passes(event: RoutingEvent): boolean {
    return this.inScope(event) && !(this.settings.excludeSynthetic && event.synthetic === true);
  }

  /** {@link passes}, counting the event as skipped (or as left-out synthetic) when it does not. */
  accepts(event: RoutingEvent): boolean {
    if (!this.inScope(event)) {
      this.totals.skipped++;
      return false;
    }
    if (this.settings.excludeSynthetic && event.synthetic === true) {
      this.totals.synthetic++;
      return false;
    }
    return true;
  }

  /** Adds one decision (filters first) with its outcome, if any. */
  add(event: RoutingEvent): void {
    if (!this.accepts(event)) return;
    this.addDecision(event);
    if (event.outcome) {
      this.applyOutcome(event, event.outcome, 1);
      this.addReRecorded(reRecords(event.outcome_records));
    }
  }

  /** Counts outcome records that re-recorded the outcome of an accepted decision (beyond its first). */
  addReRecorded(records: number): void {
    this.totals.reRecorded += records;
  }

  /** Adds the outcome-independent part of an accepted decision. */
  addDecision(event: RoutingEvent): void {
    const t = this.totals;
    t.decisions++;
    const time = parseIsoTime(event.timestamp);
    if (time < t.first) t.first = time;
    if (time > t.last) t.last = time;
    increment(this.experts, event.selected_master);
    const decider = typeof event.routing_layer === "string" ? event.routing_layer : "unknown";
    increment(this.decidedBy, decider);
    const clarified = decider === CLARIFICATION;
    if (clarified) {
      t.clarifications++;
      const clarification = event.clarification;
      increment(this.clarificationReasons, clarification?.reason ?? "unspecified");
      const candidates = clarification?.candidates;
      if (clarification?.reason === "ambiguous" && candidates && candidates.length >= 2) {
        increment(this.ambiguousPairs, [candidates[0]!, candidates[1]!].sort().join(" | "));
      }
    }
    if (typeof event.total_latency_ms === "number") this.totalLatency.add(event.total_latency_ms);
    const attempts = event.layer_attempts;
    if (Array.isArray(attempts)) {
      for (let index = 0; index < attempts.length; index++) {
        const attempt = attempts[index]!;
        const layer = this.layerFor(attempt.layer_name);
        if (layer) layer.addAttempt(attempt, index);
      }
    }
    const ab = event.ab_test;
    if (ab && typeof ab.experiment === "string") {
      let experiment = this.experiments.get(ab.experiment);
      if (!experiment) this.experiments.set(ab.experiment, (experiment = new ExperimentAccumulator(ab.experiment)));
      experiment.addDecision(ab.variant, clarified);
    }
  }

  private layerFor(name: unknown): LayerAccumulator | undefined {
    if (typeof name !== "string" || (this.settings.layer !== undefined && name !== this.settings.layer)) return undefined;
    let layer = this.layers.get(name);
    if (!layer) this.layers.set(name, (layer = new LayerAccumulator(name, this.settings.bins)));
    return layer;
  }

  /** Adds (`sign` 1) or takes back (-1) what `outcome` says about an accepted decision. */
  applyOutcome(event: RoutingEvent, outcome: Outcome, sign: number): void {
    const t = this.totals;
    const selected = event.selected_master;
    const verdict = judge(selected, outcome);
    const right = rightExpert(selected, verdict, outcome);
    t.withOutcome += sign;
    if (verdict !== UNKNOWN) {
      t.judged += sign;
      if (verdict === RIGHT) t.correct += sign;
    }
    if (outcome.task_completed === true) t.completed += sign;
    if (typeof outcome.completion_time_minutes === "number") {
      t.minutesSum += sign * outcome.completion_time_minutes;
      t.minutesCount += sign;
    }
    if (typeof outcome.quality_score === "number") {
      t.qualitySum += sign * outcome.quality_score;
      t.qualityCount += sign;
    }
    const to = outcome.user_corrected_to;
    if (typeof to === "string" && to !== "" && to !== selected) {
      t.corrections += sign;
      let row = this.corrections.get(selected);
      if (!row) this.corrections.set(selected, (row = new Map()));
      increment(row, to, sign);
      if (row.get(to) === 0) row.delete(to);
    }
    const attempts = event.layer_attempts;
    if (Array.isArray(attempts)) {
      for (const attempt of attempts) this.layerFor(attempt.layer_name)?.addOutcome(attempt, selected, verdict, right, sign);
    }
    const ab = event.ab_test;
    if (ab && typeof ab.experiment === "string") this.experiments.get(ab.experiment)?.addVerdict(ab.variant, verdict, sign);
  }

  /** Adds the state of another core (from another thread) with the same settings. */
  merge(snapshot: CoreSnapshot): void {
    const t = this.totals,
      o = snapshot.totals;
    for (const key of Object.keys(t) as (keyof Totals)[]) {
      t[key] = key === "first" ? Math.min(t.first, o.first) : key === "last" ? Math.max(t.last, o.last) : t[key] + o[key];
    }
    addCounts(this.decidedBy, snapshot.decidedBy);
    addCounts(this.experts, snapshot.experts);
    addCounts(this.clarificationReasons, snapshot.clarificationReasons);
    addCounts(this.ambiguousPairs, snapshot.ambiguousPairs);
    for (const [from, row] of snapshot.corrections) {
      let into = this.corrections.get(from);
      if (!into) this.corrections.set(from, (into = new Map()));
      addCounts(into, row);
    }
    this.totalLatency.merge(LogHistogram.from(snapshot.totalLatency));
    for (const layerSnapshot of snapshot.layers) {
      const other = LayerAccumulator.from(layerSnapshot, this.settings.bins);
      const layer = this.layers.get(other.name);
      if (layer) layer.merge(other);
      else this.layers.set(other.name, other);
    }
    for (const experimentSnapshot of snapshot.experiments) {
      let experiment = this.experiments.get(experimentSnapshot.name);
      if (!experiment) this.experiments.set(experimentSnapshot.name, (experiment = new ExperimentAccumulator(experimentSnapshot.name)));
      experiment.merge(experimentSnapshot);
    }
  }

  /** The whole state as plain data (structured-clone friendly). */
  snapshot(): CoreSnapshot {
    return {
      totals: { ...this.totals },
      decidedBy: this.decidedBy,
      experts: this.experts,
      corrections: this.corrections,
      clarificationReasons: this.clarificationReasons,
      ambiguousPairs: this.ambiguousPairs,
      totalLatency: this.totalLatency.snapshot(),
      layers: [...this.layers.values()].map((layer) => layer.snapshot()),
      experiments: [...this.experiments.values()].map((experiment) => experiment.snapshot()),
    };
  }

  /** The report over everything added so far. */
  result(): AnalysisReport {
    const { settings, totals: t } = this;
    const matrix: Record<string, Record<string, number>> = {};
    for (const [from, row] of this.corrections) if (row.size) matrix[from] = toRecord(row);
    const decisions = t.decisions;
    return {
      generatedAt: new Date(settings.now).toISOString(),
      window: {
        hours: settings.windowHours ?? null,
        since: settings.since === undefined ? null : new Date(settings.since).toISOString(),
        until: new Date(settings.now).toISOString(),
      },
      layerFilter: settings.layer ?? null,
      skipped: t.skipped,
      syntheticExcluded: t.synthetic,
      reRecordedOutcomes: t.reRecorded,
      dataIssues: { tornLines: 0, invalidRecords: 0, invalidFields: 0, duplicates: 0 },
      firstEventAt: Number.isFinite(t.first) ? new Date(t.first).toISOString() : null,
      lastEventAt: Number.isFinite(t.last) ? new Date(t.last).toISOString() : null,
      overall: {
        decisions,
        withOutcome: t.withOutcome,
        outcomeCoverage: ratio(t.withOutcome, decisions),
        accuracy: { judged: t.judged, correct: t.correct, rate: ratio(t.correct, t.judged) },
        completed: t.completed,
        completionRate: ratio(t.completed, t.withOutcome),
        meanCompletionMinutes: ratio(t.minutesSum, t.minutesCount),
        meanQualityScore: ratio(t.qualitySum, t.qualityCount),
        latency: this.totalLatency.summary(),
      },
      layers: [...this.layers.values()].sort((a, b) => a.position - b.position).map((layer) => layer.result(decisions)),
      decidedBy: toRecord(this.decidedBy),
      experts: sortedEntries(this.experts).map(([expert, count]) => ({ expert, count, share: ratio(count, decisions) })),
      corrections: { total: t.corrections, matrix },
      clarification: {
        count: t.clarifications,
        rate: ratio(t.clarifications, decisions),
        reasons: toRecord(this.clarificationReasons),
        ambiguousPairs: sortedEntries(this.ambiguousPairs)
          .slice(0, 10)
          .map(([pair, count]) => ({ pair, count })),
      },
      experiments: [...this.experiments.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((e) => e.result(settings.alpha)),
    };
  }
}
