import type { ExperimentReport, VariantReport } from "../types.js";
import { RIGHT, UNKNOWN, type Verdict } from "../../outcome-judgement.js";
import { twoProportionTest } from "./proportions.js";
import { ratio } from "./counting.js";

/** Running totals of one variant. */
interface VariantCounts {
  decisions: number;
  judged: number;
  correct: number;
  clarifications: number;
}

/** An experiment accumulator's state as plain data. */
export interface ExperimentSnapshot {
  readonly name: string;
  readonly control: VariantCounts;
  readonly candidate: VariantCounts;
}

const empty = (): VariantCounts => ({ decisions: 0, judged: 0, correct: 0, clarifications: 0 });

function variantReport(v: VariantCounts): VariantReport {
  const covered = v.decisions - v.clarifications;
  return {
    decisions: v.decisions,
    accuracy: { judged: v.judged, correct: v.correct, rate: ratio(v.correct, v.judged) },
    covered,
    coverage: ratio(covered, v.decisions),
    clarifications: v.clarifications,
    clarificationRate: ratio(v.clarifications, v.decisions),
  };
}

/** Running totals of one A/B experiment, control against candidate. */
export class ExperimentAccumulator {
  private readonly control = empty();
  private readonly candidate = empty();

  constructor(readonly name: string) {}

  private counts(variant: string): VariantCounts | undefined {
    // Other variant names are not part of an A/B split: ignored.
    return variant === "control" ? this.control : variant === "candidate" ? this.candidate : undefined;
  }

  /** Adds one decision of `variant`. */
  addDecision(variant: string, clarified: boolean): void {
    const counts = this.counts(variant);
    if (!counts) return;
    counts.decisions++;
    if (clarified) counts.clarifications++;
  }

  /** Adds (`sign` 1) or takes back (-1) the judgement of one decision of `variant`. */
  addVerdict(variant: string, verdict: Verdict, sign: number): void {
    const counts = this.counts(variant);
    if (!counts || verdict === UNKNOWN) return;
    counts.judged += sign;
    if (verdict === RIGHT) counts.correct += sign;
  }

  /** Adds everything another accumulator (as its snapshot) counted. */
  merge(other: ExperimentSnapshot): void {
    for (const name of ["control", "candidate"] as const) {
      const into = this[name],
        from = other[name];
      into.decisions += from.decisions;
      into.judged += from.judged;
      into.correct += from.correct;
      into.clarifications += from.clarifications;
    }
  }

  /** Plain data for another thread. */
  snapshot(): ExperimentSnapshot {
    return { name: this.name, control: { ...this.control }, candidate: { ...this.candidate } };
  }

  /** The comparison, with two-proportion z-tests on accuracy and coverage at level `alpha`. */
  result(alpha: number): ExperimentReport {
    const control = variantReport(this.control),
      candidate = variantReport(this.candidate);
    return {
      experiment: this.name,
      control,
      candidate,
      accuracyTest: twoProportionTest(control.accuracy.correct, control.accuracy.judged, candidate.accuracy.correct, candidate.accuracy.judged, alpha),
      coverageTest: twoProportionTest(control.covered, control.decisions, candidate.covered, candidate.decisions, alpha),
      alpha,
    };
  }
}
