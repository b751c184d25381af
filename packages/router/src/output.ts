import { toJsonSafe, type Decision } from "@moe-router/core";
import type { ThresholdSource } from "./thresholds.js";

/** Options of {@link decisionOutput}. */
export interface DecisionOutputOptions {
  /**
   * Where each layer's threshold came from, by layer name; added to each attempt as
   * `threshold_source` ("config", "thresholds-file", or "experiment" when the task was in
   * an experiment's candidate arm).
   */
  readonly thresholdSources?: Readonly<Record<string, ThresholdSource>>;
  /** Layers that have an experiment candidate threshold (attempts of candidate-arm tasks get "experiment"). */
  readonly experimentLayers?: ReadonlySet<string>;
}

/**
 * The JSON a routing decision is printed as, by `moe-router route` and by the HTTP service's
 * `POST /v1/route` (the prototype's route-task.sh fields first: master, layer, confidence,
 * event_id; then task_id, clarification, ab_test, attempts, latency_ms). Layer details are
 * copied JSON-safe (core's toJsonSafe), so `JSON.stringify` of the result never throws.
 */
export function decisionOutput(decision: Decision, options: DecisionOutputOptions = {}): Record<string, unknown> {
  const sources = options.thresholdSources;
  const candidateArm = decision.experiment?.variant === "candidate";
  return {
    master: decision.expert,
    layer: decision.layer,
    confidence: decision.confidence,
    event_id: decision.eventId,
    ...(decision.task.id ? { task_id: decision.task.id } : {}),
    ...(decision.clarification ? { clarification: decision.clarification } : {}),
    ...(decision.experiment ? { ab_test: decision.experiment } : {}),
    attempts: decision.attempts.map((a) => {
      const source = candidateArm && options.experimentLayers?.has(a.layer) ? "experiment" : sources?.[a.layer];
      return {
        layer: a.layer,
        ...(a.expert !== undefined ? { master: a.expert, confidence: a.confidence } : {}),
        threshold: a.threshold,
        ...(source ? { threshold_source: source } : {}),
        accepted: a.accepted,
        latency_ms: Number(a.latencyMs.toFixed(3)),
        ...(a.error ? { error: a.error } : {}),
        // A JSON-safe copy: any serialiser (CLI, HTTP service) can print a layer's odd details (BigInt, cycles, throwing getters).
        ...(a.details ? { details: toJsonSafe(a.details) } : {}),
        ...(a.shadow ? { shadow: true } : {}),
      };
    }),
    latency_ms: Number(decision.latencyMs.toFixed(3)),
  };
}
