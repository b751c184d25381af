import { SCHEMA_VERSION, type DecisionRecord, type LayerAttemptRecord } from "../../records.js";
import type { ActiveDegradations } from "../sample-degrade.js";
import type { Random } from "./prng.js";
import { SAMPLE_EXPERTS, type Clarity, type SampleTask } from "./sample-tasks.js";

type Range = readonly [number, number];

/** A simulated layer: how confident it tends to be, and how often it is right at a confidence. */
interface SimulatedLayer {
  readonly name: string;
  readonly latency: readonly [median: number, sigma: number];
  readonly confidence: Readonly<Record<Clarity, Range>>;
  /** P(right | confidence): the layer's true calibration curve. `drift`: the accuracy lost to drift so far. */
  reliability(confidence: number, clarity: Clarity, drift: number): number;
  details(task: SampleTask, expert: string, confidence: number, random: Random): Record<string, unknown>;
}

const r3 = (value: number) => Math.round(value * 1000) / 1000;
const clip = (value: number) => Math.min(0.99, Math.max(0.02, value));

// Keyword rules are sharp on clear wording and guess on the rest; semantic similarity is
// well calibrated but drifts as the task mix changes; RAG and the neural head are
// overconfident. These shapes give analysis and tuning something real to find.
const LAYERS: readonly SimulatedLayer[] = [
  {
    name: "keyword",
    latency: [0.08, 0.5],
    confidence: { clear: [0.86, 0.99], paraphrased: [0.15, 0.7], ambiguous: [0.6, 0.93], vague: [0.05, 0.4] },
    reliability: (c, clarity) => (clarity === "clear" ? 0.3 + 0.68 * c : clarity === "ambiguous" ? 0.5 : 0.2 + 0.6 * c),
    details: (task, expert) => ({ rule_used: `${expert.replace("-master", "")}-keywords`, ...(task.keyword ? { matched_keywords: [task.keyword] } : {}) }),
  },
  {
    name: "semantic",
    latency: [9, 0.35],
    confidence: { clear: [0.72, 0.96], paraphrased: [0.5, 0.92], ambiguous: [0.45, 0.8], vague: [0.25, 0.6] },
    reliability: (c, clarity, drift) => (clarity === "ambiguous" ? 0.75 * c : c) - drift,
    details: (_task, expert, c, random) => ({ similarity_score: r3(c * random.between(0.9, 1)), cluster: expert.replace("-master", "") }),
  },
  {
    name: "rag",
    latency: [35, 0.4],
    confidence: { clear: [0.7, 0.97], paraphrased: [0.55, 0.95], ambiguous: [0.5, 0.85], vague: [0.3, 0.7] },
    reliability: (c, clarity) => (clarity === "ambiguous" ? 0.7 * c : c - 0.06),
    details: (_task, _expert, c, random) => ({ retrieved_docs: 3 + random.int(6), vector_similarity: r3(c * random.between(0.85, 1)) }),
  },
  {
    name: "neural",
    latency: [5, 0.3],
    confidence: { clear: [0.8, 0.995], paraphrased: [0.6, 0.98], ambiguous: [0.55, 0.9], vague: [0.4, 0.8] },
    reliability: (c, clarity) => (clarity === "ambiguous" ? 0.7 * c * c : c * c),
    details: () => ({ model_version: "v1.0" }),
  },
];

/** Thresholds of the control variant (the prototype's) and of the A/B candidate. */
export const CONTROL_THRESHOLDS: Readonly<Record<string, number>> = { keyword: 0.85, semantic: 0.7, rag: 0.85, neural: 0.9 };
export const CANDIDATE_THRESHOLDS: Readonly<Record<string, number>> = { ...CONTROL_THRESHOLDS, semantic: 0.65, rag: 0.8 };
// Records only read these, so they can share one copy each.
const CONTROL_COPY = { ...CONTROL_THRESHOLDS };
const CANDIDATE_COPY = { ...CANDIDATE_THRESHOLDS };
/** Name of the simulated threshold experiment. */
export const SAMPLE_EXPERIMENT = "thresholds-v2";

const DOMAIN = SAMPLE_EXPERTS.filter((e) => e !== "coordinator-master");

function wrongExpert(task: SampleTask, random: Random): string {
  if (task.rival) return task.rival;
  const others = DOMAIN.filter((e) => e !== task.truth);
  // Development work is the usual confusion: most tasks touch code somewhere.
  if (task.truth !== "development-master" && random.chance(0.5)) return "development-master";
  return random.pick(others);
}

function answer(layer: SimulatedLayer, task: SampleTask, random: Random, drift: number, degraded: ActiveDegradations | undefined): { expert: string; confidence: number } {
  const [low, high] = layer.confidence[task.clarity];
  const confidence = r3(random.between(low, high));
  if (task.clarity === "vague") {
    // Layers know the coordinator only as a weak answer; usually they name a domain.
    return { expert: random.chance(0.3) ? "coordinator-master" : random.pick(DOMAIN), confidence };
  }
  const forced = degraded?.accuracy(layer.name);
  const right = random.chance(forced ?? clip(layer.reliability(confidence, task.clarity, drift)));
  return { expert: right ? task.truth : wrongExpert(task, random), confidence };
}

function probabilities(expert: string, confidence: number, random: Random): Record<string, number> {
  const others = SAMPLE_EXPERTS.filter((e) => e !== expert);
  const weights = others.map(() => random.next() + 0.05);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const result: Record<string, number> = { [expert]: confidence };
  others.forEach((other, i) => (result[other] = r3(((1 - confidence) * weights[i]!) / total)));
  return result;
}

/** What the simulation decided, and whether it was right. */
export interface SimulatedDecision {
  readonly record: DecisionRecord;
  readonly correct: boolean;
}

/** Facts of one simulated route. */
export interface SimulationContext {
  readonly eventId: string;
  readonly timestamp: string;
  readonly variant: "control" | "candidate" | undefined;
  readonly shadow: boolean;
  /** Accuracy the semantic layer has lost to drift by now (0 at the start of the generated period). */
  readonly drift: number;
  /** Degradations injected at this time, if any. */
  readonly degraded?: ActiveDegradations;
  readonly taskId?: string;
  readonly metadata: Record<string, unknown>;
}

/** Runs a task through the four simulated layers and the clarification fallback. */
export function simulateDecision(task: SampleTask, random: Random, context: SimulationContext): SimulatedDecision {
  const thresholds = context.variant === "candidate" ? CANDIDATE_THRESHOLDS : CONTROL_THRESHOLDS;
  const attempts: LayerAttemptRecord[] = [];
  let decided: LayerAttemptRecord | undefined;
  let latency = 0.03;
  for (const layer of LAYERS) {
    if (decided && !context.shadow) break;
    const { expert, confidence } = answer(layer, task, random, context.drift, context.degraded);
    const threshold = thresholds[layer.name]!;
    const slowdown = context.degraded ? context.degraded.latency(layer.name) : 1;
    const latencyMs = r3(random.logNormal(layer.latency[0], layer.latency[1]) * slowdown);
    const shadow = decided !== undefined;
    const errorShare = context.degraded?.errors(layer.name);
    if (!shadow && errorShare !== undefined && random.chance(errorShare)) {
      // An injected failure: the attempt errors and the cascade moves on, as core records it.
      attempts.push({ layer_name: layer.name, threshold, success: false, latency_ms: latencyMs, error: { code: "MOE_LAYER_FAILED", message: "injected failure (generate --degrade)" } });
      latency += latencyMs;
      continue;
    }
    const accepted = !shadow && confidence >= threshold;
    // Built property by property: this runs a million times for the benchmarks.
    const attempt: LayerAttemptRecord = {
      layer_name: layer.name,
      selected_master: expert,
      confidence,
      threshold,
      success: accepted,
      latency_ms: latencyMs,
      metadata: layer.details(task, expert, confidence, random),
    };
    if (shadow) attempt.shadow = true;
    else latency += latencyMs;
    attempts.push(attempt);
    if (accepted) decided = attempt;
  }
  const record: DecisionRecord = {
    schema_version: SCHEMA_VERSION,
    record_type: "decision",
    event_id: context.eventId,
    timestamp: context.timestamp,
    synthetic: true,
    task_description: task.description,
    task_metadata: context.metadata,
    selected_master: "coordinator-master",
    routing_layer: "clarification",
    confidence: 1,
    layer_attempts: attempts,
  };
  if (context.taskId) record.task_id = context.taskId;
  if (decided) {
    record.selected_master = decided.selected_master!;
    record.routing_layer = decided.layer_name;
    record.confidence = decided.confidence!;
    // Rule layers give no distribution; the model-based ones do.
    if (decided.layer_name !== "keyword") record.all_probabilities = probabilities(record.selected_master, record.confidence, random);
  }
  record.thresholds = thresholds === CANDIDATE_THRESHOLDS ? CANDIDATE_COPY : CONTROL_COPY;
  if (context.variant) record.ab_test = { experiment: SAMPLE_EXPERIMENT, variant: context.variant };
  if (context.shadow) record.shadow = true;
  if (decided) {
    record.total_latency_ms = r3(latency);
    return { record, correct: record.selected_master === task.truth };
  }
  const live = attempts.filter((a) => !a.shadow && !a.error).sort((a, b) => b.confidence! - a.confidence!);
  const [first, second] = live;
  const close = first && second && first.selected_master !== second.selected_master && first.confidence! - second.confidence! <= 0.1;
  record.clarification = close
    ? { reason: "ambiguous", candidates: [first.selected_master!, second.selected_master!], question: `Is this a task for ${first.selected_master} or ${second.selected_master}?` }
    : { reason: "low_confidence_cascade" };
  record.total_latency_ms = r3(latency);
  return { record, correct: task.truth === "coordinator-master" };
}
