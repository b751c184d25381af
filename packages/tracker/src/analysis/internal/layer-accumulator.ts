import type { LayerAttemptRecord } from "../../records.js";
import type { LayerReport } from "../types.js";
import { addCounts, increment, ratio, toRecord } from "./counting.js";
import { LogHistogram, type HistogramSnapshot } from "./histogram.js";
import { RIGHT, UNKNOWN, judgeAttempt, type Verdict } from "../../outcome-judgement.js";
import { ReliabilityAccumulator, type ReliabilitySnapshot } from "./reliability.js";

/** A layer accumulator's state as plain data (for worker threads). */
export interface LayerSnapshot {
  readonly name: string;
  readonly counts: Readonly<Record<CountName, number>>;
  readonly errorCodes: Map<string, number>;
  readonly experts: Map<string, number>;
  readonly latency: HistogramSnapshot;
  readonly calibration: ReliabilitySnapshot;
  readonly shadowCalibration: ReliabilitySnapshot | undefined;
}

type CountName = "position" | "attempts" | "accepted" | "errors" | "judged" | "correct" | "confidenceSum" | "confidenceCount" | "shadowAttempts";

/**
 * Running totals of one layer's attempts. What does not depend on outcomes is added by
 * {@link addAttempt}; what does by {@link addOutcome}, with a sign so that an outcome can be
 * taken back when a newer one turns up (the parallel reader joins some outcomes late).
 */
export class LayerAccumulator {
  private readonly counts: Record<CountName, number> = {
    position: Number.POSITIVE_INFINITY,
    attempts: 0,
    accepted: 0,
    errors: 0,
    judged: 0,
    correct: 0,
    confidenceSum: 0,
    confidenceCount: 0,
    shadowAttempts: 0,
  };
  private readonly errorCodes = new Map<string, number>();
  private readonly experts = new Map<string, number>();
  private latency = new LogHistogram();
  private calibration: ReliabilityAccumulator;
  private shadowCalibration: ReliabilityAccumulator | undefined;

  constructor(
    readonly name: string,
    private readonly bins: number,
  ) {
    this.calibration = new ReliabilityAccumulator(bins);
  }

  /** Smallest index this layer had in layer_attempts: its place in the cascade. */
  get position(): number {
    return this.counts.position;
  }

  /** Adds the outcome-independent part of one attempt at `index` in layer_attempts. */
  addAttempt(attempt: LayerAttemptRecord, index: number): void {
    const counts = this.counts;
    if (index < counts.position) counts.position = index;
    // Shadow attempts ran after the route was decided: they never decide, so they stay out of
    // acceptance and latency; their confidences are calibrated in addOutcome.
    if (attempt.shadow === true) {
      counts.shadowAttempts++;
      return;
    }
    counts.attempts++;
    if (typeof attempt.latency_ms === "number") this.latency.add(attempt.latency_ms);
    if (attempt.error) {
      counts.errors++;
      increment(this.errorCodes, attempt.error.code ?? "unknown");
    }
    if (typeof attempt.confidence === "number" && attempt.selected_master !== undefined) {
      counts.confidenceSum += attempt.confidence;
      counts.confidenceCount++;
    }
    if (attempt.success !== true) return;
    counts.accepted++;
    if (attempt.selected_master !== undefined) increment(this.experts, attempt.selected_master);
  }

  /**
   * Adds (`sign` 1) or takes back (-1) what an outcome says about one attempt of a decision
   * routed to `selected` and judged `verdict`, with `right` the correct expert when known.
   */
  addOutcome(attempt: LayerAttemptRecord, selected: string, verdict: Verdict, right: string | undefined, sign: number): void {
    const expert = attempt.selected_master;
    const confidence = attempt.confidence;
    if (attempt.shadow === true) {
      if (expert === undefined || typeof confidence !== "number") return;
      const shadowVerdict = judgeAttempt(expert, selected, verdict, right);
      if (shadowVerdict === UNKNOWN) return;
      (this.shadowCalibration ??= new ReliabilityAccumulator(this.bins)).add(confidence, shadowVerdict === RIGHT, sign);
      return;
    }
    if (attempt.success !== true || verdict === UNKNOWN) return;
    this.counts.judged += sign;
    if (verdict === RIGHT) this.counts.correct += sign;
    if (typeof confidence === "number") this.calibration.add(confidence, verdict === RIGHT, sign);
  }

  /** Adds everything `other` counted for the same layer. */
  merge(other: LayerAccumulator): void {
    const counts = this.counts;
    for (const key of Object.keys(counts) as CountName[]) {
      counts[key] = key === "position" ? Math.min(counts.position, other.counts.position) : counts[key] + other.counts[key];
    }
    addCounts(this.errorCodes, other.errorCodes);
    addCounts(this.experts, other.experts);
    this.latency.merge(other.latency);
    this.calibration.merge(other.calibration);
    if (other.shadowCalibration) (this.shadowCalibration ??= new ReliabilityAccumulator(this.bins)).merge(other.shadowCalibration);
  }

  /** Plain data for another thread. */
  snapshot(): LayerSnapshot {
    return {
      name: this.name,
      counts: { ...this.counts },
      errorCodes: this.errorCodes,
      experts: this.experts,
      latency: this.latency.snapshot(),
      calibration: this.calibration.snapshot(),
      shadowCalibration: this.shadowCalibration?.snapshot(),
    };
  }

  /** A layer accumulator from {@link snapshot} data. */
  static from(snapshot: LayerSnapshot, bins: number): LayerAccumulator {
    const layer = new LayerAccumulator(snapshot.name, bins);
    Object.assign(layer.counts, snapshot.counts);
    addCounts(layer.errorCodes, snapshot.errorCodes);
    addCounts(layer.experts, snapshot.experts);
    layer.latency = LogHistogram.from(snapshot.latency);
    layer.calibration = new ReliabilityAccumulator(bins, snapshot.calibration);
    if (snapshot.shadowCalibration) layer.shadowCalibration = new ReliabilityAccumulator(bins, snapshot.shadowCalibration);
    return layer;
  }

  /** The layer's report; `decisions` is the number of analysed decisions (for coverage). */
  result(decisions: number): LayerReport {
    const c = this.counts;
    const escalated = c.attempts - c.accepted;
    return {
      layer: this.name,
      attempts: c.attempts,
      accepted: c.accepted,
      acceptanceRate: ratio(c.accepted, c.attempts),
      escalated,
      escalationRate: ratio(escalated, c.attempts),
      errors: c.errors,
      errorRate: ratio(c.errors, c.attempts),
      errorCodes: toRecord(this.errorCodes),
      coverage: ratio(c.accepted, decisions),
      accuracy: { judged: c.judged, correct: c.correct, rate: ratio(c.correct, c.judged) },
      meanConfidence: ratio(c.confidenceSum, c.confidenceCount),
      calibration: this.calibration.result(),
      shadowAttempts: c.shadowAttempts,
      shadowCalibration: this.shadowCalibration ? this.shadowCalibration.result() : null,
      latency: this.latency.summary(),
      experts: toRecord(this.experts),
    };
  }
}
