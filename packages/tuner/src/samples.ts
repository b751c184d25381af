import { judge } from "./traces.js";
import type { LayerSample, RouteTrace } from "./types.js";

/** Samples for one layer: traces that reach it under `earlier` thresholds, split by where they came from. */
export interface LayerSamples {
  readonly all: LayerSample[];
  readonly shadow: LayerSample[];
  /** Traces whose path to the layer cannot be followed, or where the layer never ran. */
  readonly unobserved: number;
}

/**
 * Collects (confidence, correct) samples for `layers[index]` from the traces that would reach
 * it when the earlier layers use `thresholds`. Errored attempts and unknown truths are left out.
 */
export function collectLayerSamples(traces: readonly RouteTrace[], layers: readonly string[], index: number, thresholds: Readonly<Record<string, number>>): LayerSamples {
  const name = layers[index]!;
  const all: LayerSample[] = [];
  const shadow: LayerSample[] = [];
  let unobserved = 0;
  traceLoop: for (const trace of traces) {
    for (let j = 0; j < index; j++) {
      const earlier = trace.attempts[layers[j]!];
      if (!earlier) {
        unobserved++;
        continue traceLoop;
      }
      if (!earlier.errored && earlier.confidence! >= thresholds[layers[j]!]!) continue traceLoop; // decided before this layer
    }
    const attempt = trace.attempts[name];
    if (!attempt) {
      unobserved++;
      continue;
    }
    if (attempt.errored) continue;
    const correct = judge(attempt.expert!, trace.truth);
    if (correct === undefined) continue;
    const sample: LayerSample = { confidence: attempt.confidence!, correct, shadow: trace.shadow };
    all.push(sample);
    if (trace.shadow) shadow.push(sample);
  }
  return { all, shadow, unobserved };
}
