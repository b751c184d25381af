import type { RouteTrace, TraceAttempt } from "../../src/types.js";

/** Shorthand attempt: [expert, confidence], "error", or undefined (layer did not run). */
export type AttemptSpec = readonly [string, number] | "error" | undefined;

/** Builds a trace from attempt specs by layer; truth is the right expert. */
export function trace(attempts: Readonly<Record<string, AttemptSpec>>, truth: string | undefined, shadow = false, latencyMs = 1): RouteTrace {
  const built: Record<string, TraceAttempt> = {};
  for (const [layer, spec] of Object.entries(attempts)) {
    if (spec === undefined) continue;
    built[layer] = spec === "error" ? { errored: true, latencyMs } : { errored: false, expert: spec[0], confidence: spec[1], latencyMs };
  }
  return { attempts: built, shadow, truth: truth === undefined ? {} : { expert: truth } };
}

/**
 * `count` single-layer traces whose confidences are spread evenly over [low, high]; a trace is
 * right when its confidence is at least `rightAbove` (so precision rises with the threshold).
 */
export function graded(layer: string, count: number, options: { low?: number; high?: number; rightAbove: number; shadow?: boolean }): RouteTrace[] {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  return Array.from({ length: count }, (_, i) => {
    const confidence = count === 1 ? high : low + ((high - low) * i) / (count - 1);
    return trace({ [layer]: ["a", confidence] }, confidence >= options.rightAbove ? "a" : "b", options.shadow ?? false);
  });
}
