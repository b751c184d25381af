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
  // Built field by field (no conditional spreads): this runs once per route on the service's hot path.
  const output: Record<string, unknown> = {
    master: decision.expert,
    layer: decision.layer,
    confidence: decision.confidence,
    event_id: decision.eventId,
  };
  if (decision.task.id) output.task_id = decision.task.id;
  if (decision.clarification) output.clarification = decision.clarification;
  if (decision.experiment) output.ab_test = decision.experiment;
  const attempts: Record<string, unknown>[] = [];
  for (const a of decision.attempts) {
    const source = candidateArm && options.experimentLayers?.has(a.layer) ? "experiment" : sources?.[a.layer];
    const attempt: Record<string, unknown> = { layer: a.layer };
    if (a.expert !== undefined) {
      attempt.master = a.expert;
      attempt.confidence = a.confidence;
    }
    attempt.threshold = a.threshold;
    if (source) attempt.threshold_source = source;
    attempt.accepted = a.accepted;
    attempt.latency_ms = Number(a.latencyMs.toFixed(3));
    if (a.error) attempt.error = a.error;
    // A JSON-safe copy: any serialiser (CLI, HTTP service) can print a layer's odd details (BigInt, cycles, throwing getters).
    if (a.details) attempt.details = toJsonSafe(a.details);
    if (a.shadow) attempt.shadow = true;
    attempts.push(attempt);
  }
  output.attempts = attempts;
  output.latency_ms = Number(decision.latencyMs.toFixed(3));
  return output;
}
