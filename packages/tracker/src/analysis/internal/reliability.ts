import type { Calibration, ReliabilityBin } from "../types.js";

/** A reliability accumulator's state as plain data. */
export interface ReliabilitySnapshot {
  readonly count: Float64Array;
  readonly confidenceSum: Float64Array;
  readonly correctSum: Float64Array;
  readonly samples: number;
}

/**
 * Streaming reliability diagram: per equal-width confidence bin, the number of predictions,
 * the sum of their confidences and how many were right. Three small arrays, whatever the volume.
 */
export class ReliabilityAccumulator {
  private readonly bins: number;
  private readonly count: Float64Array;
  private readonly confidenceSum: Float64Array;
  private readonly correctSum: Float64Array;
  private samples = 0;

  constructor(bins: number, snapshot?: ReliabilitySnapshot) {
    this.bins = bins;
    this.count = snapshot ? Float64Array.from(snapshot.count) : new Float64Array(bins);
    this.confidenceSum = snapshot ? Float64Array.from(snapshot.confidenceSum) : new Float64Array(bins);
    this.correctSum = snapshot ? Float64Array.from(snapshot.correctSum) : new Float64Array(bins);
    this.samples = snapshot?.samples ?? 0;
  }

  /**
   * Adds one prediction made with `confidence` (clamped to [0,1]) that was right or not;
   * `sign` -1 takes a prediction back (an outcome replaced by a newer one).
   */
  add(confidence: number, correct: boolean, sign = 1): void {
    if (!Number.isFinite(confidence)) return;
    const clamped = confidence < 0 ? 0 : confidence > 1 ? 1 : confidence;
    // Confidence 1 belongs to the last bin, which is closed on the right.
    const bin = Math.min(this.bins - 1, Math.floor(clamped * this.bins));
    this.count[bin]! += sign;
    this.confidenceSum[bin]! += sign * clamped;
    if (correct) this.correctSum[bin]! += sign;
    this.samples += sign;
  }

  /** Adds every prediction of `other` (same number of bins). */
  merge(other: ReliabilityAccumulator): void {
    for (let bin = 0; bin < this.bins; bin++) {
      this.count[bin]! += other.count[bin]!;
      this.confidenceSum[bin]! += other.confidenceSum[bin]!;
      this.correctSum[bin]! += other.correctSum[bin]!;
    }
    this.samples += other.samples;
  }

  /** Plain data for another thread. */
  snapshot(): ReliabilitySnapshot {
    return { count: this.count, confidenceSum: this.confidenceSum, correctSum: this.correctSum, samples: this.samples };
  }

  /** Number of predictions added. */
  get size(): number {
    return this.samples;
  }

  /** The bins and the expected calibration error (same definition as core's expectedCalibrationError). */
  result(): Calibration {
    const bins: ReliabilityBin[] = [];
    let ece = 0;
    for (let bin = 0; bin < this.bins; bin++) {
      const n = this.count[bin]!;
      const meanConfidence = n ? this.confidenceSum[bin]! / n : null;
      const accuracy = n ? this.correctSum[bin]! / n : null;
      if (n) ece += (n / this.samples) * Math.abs(meanConfidence! - accuracy!);
      bins.push({ lower: bin / this.bins, upper: (bin + 1) / this.bins, count: n, meanConfidence, accuracy });
    }
    return { samples: this.samples, ece: this.samples ? ece : null, bins };
  }
}
