import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { MinHeap } from "../internal/min-heap.js";
import { Random } from "./internal/prng.js";
import { simulateDecision } from "./internal/sample-cascade.js";
import { sampleTask } from "./internal/sample-tasks.js";
import { checkKnownKeys } from "../internal/validate.js";
import { activeAt, checkDegradations, type SampleDegradation } from "./sample-degrade.js";
import { SCHEMA_VERSION, type LogRecord, type Outcome, type OutcomeRecord } from "../records.js";

/** Options of {@link generateSampleRecords}. */
export interface SampleEventsOptions {
  /** Number of decisions. */
  readonly count: number;
  /** Seed: the same seed, count, days and end give the same records. Default 1. */
  readonly seed?: number;
  /** Days the decisions are spread over, ending at `end`. Default 30. */
  readonly days?: number;
  /** Time of the last decision. Default: now. */
  readonly end?: Date;
  /** Share of decisions whose outcome gets reported. Default 0.75. */
  readonly outcomeShare?: number;
  /** Share of decisions in the candidate arm of the "thresholds-v2" A/B experiment. Default 0.2. */
  readonly experimentShare?: number;
  /** Share of decisions where every layer runs for logging. Default 0.05. */
  readonly shadowShare?: number;
  /**
   * Accuracy the semantic layer loses over the whole period (its drift). Default 0.12;
   * 0 gives a stable log (no health metric trends), e.g. to check that alerts stay quiet.
   */
  readonly drift?: number;
  /** Known degradations from known times on (see {@link parseDegradation}). Default none. */
  readonly degrade?: readonly SampleDegradation[];
}

const KEYS = ["count", "seed", "days", "end", "outcomeShare", "experimentShare", "shadowShare", "drift", "degrade"];
const MINUTE = 60_000;
const PRIORITIES = ["low", "medium", "medium", "high"] as const;
const SOURCES = ["api", "cli", "slack"] as const;
// Median minutes a task takes, by expert.
const TASK_MINUTES: Record<string, number> = { "security-master": 50, "cicd-master": 25, "inventory-master": 15, "development-master": 70, "coordinator-master": 30 };

function invalid(message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
}

function check(options: SampleEventsOptions): void {
  if (!options || typeof options !== "object") throw invalid("generateSampleRecords needs { count }.");
  checkKnownKeys(options, KEYS, "sample options");
  if (!(Number.isInteger(options.count) && options.count >= 0)) throw invalid(`count must be a whole number of events >= 0; got ${String(options.count)}.`);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw invalid(`seed must be an integer; got ${String(options.seed)}.`);
  if (options.days !== undefined && !(typeof options.days === "number" && options.days > 0 && Number.isFinite(options.days)))
    throw invalid(`days must be a positive number; got ${String(options.days)}.`);
  if (options.end !== undefined && !(options.end instanceof Date && Number.isFinite(options.end.getTime()))) throw invalid("end must be a valid Date.");
  if (options.degrade !== undefined) checkDegradations(options.degrade);
  for (const key of ["outcomeShare", "experimentShare", "shadowShare", "drift"] as const) {
    const value = options[key];
    if (value !== undefined && !(typeof value === "number" && value >= 0 && value <= 1)) throw invalid(`${key} must be a share in [0,1]; got ${String(value)}.`);
  }
}

function outcomeFor(expert: string, truth: string, correct: boolean, random: Random): Outcome {
  const completed = random.chance(correct ? 0.92 : 0.65);
  const outcome: Outcome = { task_completed: completed, task_status: completed ? "completed" : "failed", was_correct_master: correct };
  if (!correct) outcome.user_corrected_to = random.chance(0.8) && truth !== expert ? truth : null;
  outcome.completion_time_minutes = Math.round(random.logNormal(TASK_MINUTES[truth] ?? 30, 0.6) * (correct ? 1 : 1.5) * 10) / 10;
  const quality = correct ? 0.7 + 0.3 * random.next() ** 0.7 : 0.35 + 0.4 * random.next();
  outcome.quality_score = completed || random.chance(0.5) ? Math.round((completed ? quality : quality * 0.6) * 100) / 100 : null;
  return outcome;
}

/**
 * Realistic, seeded sample records for demos and benchmarks: tasks for the four experts
 * plus ambiguous and vague ones, routed through simulated keyword -> semantic -> RAG ->
 * neural layers with plausible confidences and latencies, an A/B threshold experiment,
 * shadow runs, and outcomes whose correctness follows each layer's calibration (keyword
 * sharp, semantic calibrated but drifting, RAG and neural overconfident). Yields
 * decisions and outcomes in time order, each outcome some minutes to hours after its
 * decision; outcomes later than `end` are not reported yet, as in a live log. `degrade`
 * injects known degradations from known times on (a layer's accuracy, errors or latency,
 * vague tasks, the expert mix), `drift: 0` makes the log stable. Every record
 * is marked `synthetic: true`, so real analyses and tuning can leave it out.
 */
export function* generateSampleRecords(options: SampleEventsOptions): Generator<LogRecord> {
  check(options);
  const random = new Random(options.seed ?? 1);
  const count = options.count;
  const end = (options.end ?? new Date()).getTime();
  const span = (options.days ?? 30) * 24 * 60 * MINUTE;
  const start = end - span;
  const outcomeShare = options.outcomeShare ?? 0.75;
  const experimentShare = options.experimentShare ?? 0.2;
  const shadowShare = options.shadowShare ?? 0.05;
  const driftLoss = options.drift ?? 0.12;
  const degradations = options.degrade ?? [];
  const pending = new MinHeap<OutcomeRecord>();
  for (let i = 0; i < count; i++) {
    const time = Math.min(end, Math.floor(start + ((i + random.next()) * span) / count));
    while (pending.peekKey() <= time) yield pending.pop()!;
    const degraded = degradations.length ? activeAt(degradations, time) : undefined;
    const task = sampleTask(random, degraded);
    const eventId = random.uuid();
    const { record, correct } = simulateDecision(task, random, {
      eventId,
      timestamp: new Date(time).toISOString(),
      variant: experimentShare > 0 ? (random.chance(experimentShare) ? "candidate" : "control") : undefined,
      shadow: random.chance(shadowShare),
      drift: driftLoss * (count > 1 ? i / (count - 1) : 0),
      ...(degraded ? { degraded } : {}),
      ...(random.chance(0.6) ? { taskId: `task-${(i + 1).toString().padStart(6, "0")}` } : {}),
      metadata: { priority: random.pick(PRIORITIES), source: random.pick(SOURCES) },
    });
    yield record;
    // Wrong routes get reported more often: people complain more than they praise.
    if (random.chance(Math.min(1, (degraded?.outcomes ?? outcomeShare) * (correct ? 0.95 : 1.2)))) {
      const outcome = outcomeFor(record.selected_master, task.truth, correct, random);
      const reported = time + ((outcome.completion_time_minutes ?? 30) + random.logNormal(45, 1.2)) * MINUTE;
      if (reported <= end) {
        pending.push(reported, { schema_version: SCHEMA_VERSION, record_type: "outcome", event_id: eventId, timestamp: new Date(reported).toISOString(), synthetic: true, outcome });
      }
    }
  }
  while (pending.size > 0) yield pending.pop()!;
}
