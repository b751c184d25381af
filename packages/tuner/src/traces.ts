import { ErrorCode, MoeRouterError, type Decision } from "@moe-router/core";
import type { RoutingEvent } from "@moe-router/tracker";
import { judgeExpert, judgeOutcome } from "@moe-router/tracker/rules";
import type { RouteTrace, TraceAttempt, TraceTruth } from "./types.js";

/**
 * What a tracked outcome says about the right expert, by the tracker's rule
 * ({@link judgeOutcome}): the right expert when it is known, else the routed expert when the
 * outcome only rules it out. No outcome, or one that does not say: unknown.
 */
export function truthFromEvent(event: RoutingEvent): TraceTruth {
  const { rightExpert, wrongExpert } = judgeOutcome(event.selected_master, event.outcome);
  if (rightExpert !== undefined) return { expert: rightExpert };
  return wrongExpert !== undefined ? { wrongExpert } : {};
}

/**
 * Reduces a tracked event (decision + outcome, prototype lines too) to a {@link RouteTrace}.
 * The tracker's readers already skip malformed records; an event from elsewhere with attempts
 * that are not objects with a `layer_name` has those attempts left out rather than throwing.
 */
export function traceFromEvent(event: RoutingEvent): RouteTrace {
  const attempts: Record<string, TraceAttempt> = {};
  const records: unknown = event.layer_attempts;
  for (const record of Array.isArray(records) ? (records as RoutingEvent["layer_attempts"]) : []) {
    if (record === null || typeof record !== "object" || typeof record.layer_name !== "string") continue;
    const errored = record.error !== undefined || typeof record.confidence !== "number" || typeof record.selected_master !== "string";
    attempts[record.layer_name] = errored
      ? { errored: true, ...(typeof record.latency_ms === "number" ? { latencyMs: record.latency_ms } : {}) }
      : {
          errored: false,
          expert: record.selected_master!,
          confidence: record.confidence!,
          ...(typeof record.latency_ms === "number" ? { latencyMs: record.latency_ms } : {}),
        };
  }
  return { attempts, shadow: event.shadow === true, truth: truthFromEvent(event), timestamp: event.timestamp };
}

/** Reduces a cascade decision with a known right answer (e.g. a dataset label) to a {@link RouteTrace}. */
export function traceFromDecision(decision: Decision, truth: TraceTruth): RouteTrace {
  const attempts: Record<string, TraceAttempt> = {};
  for (const attempt of decision.attempts) {
    attempts[attempt.layer] =
      attempt.error !== undefined || attempt.expert === undefined || attempt.confidence === undefined
        ? { errored: true, latencyMs: attempt.latencyMs }
        : { errored: false, expert: attempt.expert, confidence: attempt.confidence, latencyMs: attempt.latencyMs };
  }
  return { attempts, shadow: decision.shadow === true, truth, timestamp: decision.timestamp };
}

/** Whether routing to `expert` was right: true, false, or undefined when the truth is not known (the tracker's {@link judgeExpert}). */
export function judge(expert: string, truth: TraceTruth): boolean | undefined {
  return judgeExpert(expert, { rightExpert: truth.expert, wrongExpert: truth.wrongExpert });
}

/** Options of {@link readTraces}. */
export interface ReadTracesOptions {
  /** Only decisions routed at or after this time. */
  readonly since?: Date;
  /** Generated sample decisions (`synthetic: true`): "exclude" (the default: thresholds must not move on sample data) or "include". */
  readonly synthetic?: "include" | "exclude";
}

/** What {@link readTraces} read. */
export interface ReadTraces {
  readonly traces: RouteTrace[];
  /** Synthetic decisions left out (0 with `synthetic: "include"`). */
  readonly syntheticExcluded: number;
}

/**
 * Reads the tracked decisions (outcomes joined) of a store as traces for
 * `proposeThresholds`, leaving generated sample decisions out unless asked: what
 * `moe-router tune` tunes on.
 * @example
 * const { traces } = await readTraces(store, { since: new Date(Date.now() - 7 * 86_400_000) });
 * @throws MoeRouterError INVALID_CONFIG for a bad `synthetic`; what the store's reader throws.
 */
export async function readTraces(store: { read(options?: { since?: Date }): AsyncIterable<RoutingEvent> }, options: ReadTracesOptions = {}): Promise<ReadTraces> {
  const synthetic = options.synthetic ?? "exclude";
  if (synthetic !== "include" && synthetic !== "exclude") throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `synthetic must be "include" or "exclude"; got ${JSON.stringify(synthetic)}.`);
  const traces: RouteTrace[] = [];
  let syntheticExcluded = 0;
  for await (const event of store.read(options.since ? { since: options.since } : {})) {
    if (event.synthetic === true && synthetic === "exclude") syntheticExcluded++;
    else traces.push(traceFromEvent(event));
  }
  return { traces, syntheticExcluded };
}
