import { judge } from "./traces.js";
import type { PredictedMetrics, RouteTrace } from "./types.js";

/** Where a trace ends under some thresholds. */
export type ReplayResult =
  | { readonly kind: "unsimulable"; readonly missingLayer: string }
  | { readonly kind: "layer"; readonly layer: string; readonly expert: string; readonly confidence: number; readonly latencyMs: number }
  | { readonly kind: "clarification"; readonly latencyMs: number };

/**
 * Replays the cascade on a recorded trace: the first layer (in `layers` order) whose
 * confidence reaches its threshold decides; errored layers are passed over, as the runner
 * does; no decider means the clarification fallback. Latency is the sum of the attempts
 * the replayed cascade would have run. A layer the replay needs but that never ran makes
 * the trace unsimulable.
 */
export function replayTrace(trace: RouteTrace, layers: readonly string[], thresholds: Readonly<Record<string, number>>): ReplayResult {
  let latencyMs = 0;
  for (const layer of layers) {
    const attempt = trace.attempts[layer];
    if (!attempt) return { kind: "unsimulable", missingLayer: layer };
    latencyMs += attempt.latencyMs ?? 0;
    if (attempt.errored) continue;
    const threshold = thresholds[layer];
    if (threshold === undefined) throw new RangeError(`replayTrace: no threshold for layer "${layer}"`);
    if (attempt.confidence! >= threshold) return { kind: "layer", layer, expert: attempt.expert!, confidence: attempt.confidence!, latencyMs };
  }
  return { kind: "clarification", latencyMs };
}

/** Predicted accuracy, coverage and clarification rate of a cascade, replayed over traces. */
export function predictMetrics(traces: readonly RouteTrace[], layers: readonly string[], thresholds: Readonly<Record<string, number>>): PredictedMetrics {
  let simulated = 0;
  let unsimulable = 0;
  let decided = 0;
  let judged = 0;
  let right = 0;
  const byLayer: Record<string, number> = Object.fromEntries(layers.map((l) => [l, 0]));
  for (const trace of traces) {
    const result = replayTrace(trace, layers, thresholds);
    if (result.kind === "unsimulable") {
      unsimulable++;
      continue;
    }
    simulated++;
    if (result.kind !== "layer") continue;
    decided++;
    byLayer[result.layer]!++;
    const verdict = judge(result.expert, trace.truth);
    if (verdict === undefined) continue;
    judged++;
    if (verdict) right++;
  }
  for (const layer of layers) byLayer[layer] = simulated ? byLayer[layer]! / simulated : 0;
  return {
    simulated,
    unsimulable,
    accuracy: judged ? right / judged : undefined,
    coverage: simulated ? decided / simulated : 0,
    clarificationRate: simulated ? (simulated - decided) / simulated : 0,
    byLayer,
  };
}
