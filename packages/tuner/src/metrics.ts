import { quantile, ratio } from "./internal/stats.js";
import { replayTrace } from "./replay.js";
import { judge } from "./traces.js";
import type { RouteTrace } from "./types.js";

/** How one layer fared inside the cascade. */
export interface LayerOutcomeMetrics {
  readonly layer: string;
  readonly threshold: number;
  /** Rows this layer decided. */
  readonly decided: number;
  /** decided / all rows. */
  readonly coverage: number;
  /** Right among the rows it decided. */
  readonly accuracy: number | undefined;
}

/** Offline metrics of a cascade at one set of thresholds (rows with known truth). */
export interface CascadeEvaluation {
  readonly thresholds: Readonly<Record<string, number>>;
  readonly rows: number;
  /** Accuracy of the rows a layer decided (the clarification fallback excluded). */
  readonly routedAccuracy: number | undefined;
  /** Share of rows a layer decided. */
  readonly coverage: number;
  /** In-scope rows routed to their right expert / in-scope rows (clarification counts as not right). */
  readonly inScopeAccuracy: number | undefined;
  /** Share of rows that reached the clarification fallback. */
  readonly clarificationRate: number;
  /** Out-of-scope rows are right when they reach the clarification fallback. */
  readonly outOfScope?: { readonly rows: number; readonly recall: number | undefined; readonly precision: number | undefined };
  /** Latency of the replayed cascade (sum of the attempts it would run), ms. */
  readonly latencyMs: { readonly p50: number | undefined; readonly p99: number | undefined; readonly mean: number | undefined };
  readonly perLayer: readonly LayerOutcomeMetrics[];
}

/**
 * Replays every trace under `thresholds` and measures the cascade. A trace whose truth is the
 * fallback expert is out of scope: right only when it falls through to clarification.
 * Traces must be complete (every layer ran: shadow share 1), as `evaluate()` records them.
 */
export function cascadeEvaluation(traces: readonly RouteTrace[], layers: readonly string[], thresholds: Readonly<Record<string, number>>, fallbackExpert: string): CascadeEvaluation {
  const decided = new Map<string, { count: number; right: number }>(layers.map((l) => [l, { count: 0, right: 0 }]));
  const latencies: number[] = [];
  let routed = 0,
    routedRight = 0,
    inScope = 0,
    inScopeRight = 0,
    clarified = 0,
    oosRows = 0,
    oosClarified = 0;
  for (const trace of traces) {
    const result = replayTrace(trace, layers, thresholds);
    if (result.kind === "unsimulable") throw new RangeError(`cascadeEvaluation: trace lacks layer "${result.missingLayer}"; route with shadowShare 1`);
    latencies.push(result.latencyMs);
    const outOfScope = trace.truth.expert === fallbackExpert;
    if (outOfScope) oosRows++;
    else inScope++;
    // A layer that names the fallback expert (an out-of-scope class) sends the task to clarification.
    if (result.kind === "clarification" || result.expert === fallbackExpert) {
      clarified++;
      if (outOfScope) oosClarified++;
      continue;
    }
    routed++;
    const right = judge(result.expert, trace.truth) === true;
    const layer = decided.get(result.layer)!;
    layer.count++;
    if (right) {
      layer.right++;
      routedRight++;
      if (!outOfScope) inScopeRight++;
    }
  }
  const rows = traces.length;
  return {
    thresholds: { ...thresholds },
    rows,
    routedAccuracy: ratio(routedRight, routed),
    coverage: ratio(routed, rows) ?? 0,
    inScopeAccuracy: ratio(inScopeRight, inScope),
    clarificationRate: ratio(clarified, rows) ?? 0,
    ...(oosRows ? { outOfScope: { rows: oosRows, recall: ratio(oosClarified, oosRows), precision: ratio(oosClarified, clarified) } } : {}),
    latencyMs: {
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : undefined,
    },
    perLayer: layers.map((layer) => {
      const stats = decided.get(layer)!;
      return { layer, threshold: thresholds[layer]!, decided: stats.count, coverage: ratio(stats.count, rows) ?? 0, accuracy: ratio(stats.right, stats.count) };
    }),
  };
}

/** One point of a risk-coverage curve. */
export interface RiskCoveragePoint {
  /** Share of samples accepted. */
  readonly coverage: number;
  /** Error rate among the accepted. */
  readonly risk: number;
  /** Confidence of the least confident accepted sample (accept at >= this). */
  readonly threshold: number;
}

/**
 * Risk-coverage curve of a selective classifier: accept the most confident samples first and
 * report the error rate of what is accepted, at `points` evenly spaced coverages.
 */
export function riskCoverageCurve(samples: readonly { readonly confidence: number; readonly correct: boolean }[], points = 20): RiskCoveragePoint[] {
  if (samples.length === 0) return [];
  const sorted = [...samples].sort((a, b) => b.confidence - a.confidence);
  const curve: RiskCoveragePoint[] = [];
  let errors = 0;
  let next = 1;
  for (let i = 0; i < sorted.length; i++) {
    if (!sorted[i]!.correct) errors++;
    const accepted = i + 1;
    // Emit at each evenly spaced coverage, extending over ties so a point is a real threshold.
    if (accepted >= Math.ceil((next / points) * sorted.length) && (i + 1 === sorted.length || sorted[i + 1]!.confidence < sorted[i]!.confidence)) {
      curve.push({ coverage: accepted / sorted.length, risk: errors / accepted, threshold: sorted[i]!.confidence });
      while (next <= points && accepted >= Math.ceil((next / points) * sorted.length)) next++;
    }
  }
  return curve;
}

/** Standalone (confidence, correct) samples of one layer over complete traces with known truth. */
export function standaloneSamples(traces: readonly RouteTrace[], layer: string): { confidence: number; correct: boolean }[] {
  const samples: { confidence: number; correct: boolean }[] = [];
  for (const trace of traces) {
    const attempt = trace.attempts[layer];
    if (!attempt || attempt.errored) continue;
    const correct = judge(attempt.expert!, trace.truth);
    if (correct !== undefined) samples.push({ confidence: attempt.confidence!, correct });
  }
  return samples;
}
