/**
 * SQL of `analyze` on the PostgreSQL store. One statement, one pass over the decisions in the
 * window, outcomes joined in the database: each decision yields one row for itself and one
 * per layer attempt, and one hash aggregate with three grouping sets (decision figures,
 * attempt figures, latency buckets) reduces them to a few thousand small rows, whatever the
 * number of events. Node rolls those up into the streaming analyzer's own accumulators
 * (pg-analysis.ts), so the report is the JSONL path's report: same records left out
 * (read-record.ts, check-fields.ts), same verdicts (judge.ts), same latency buckets
 * (histogram.ts), hence the same nearest-rank percentiles.
 *
 * Why latency bucket counts and not `percentile_cont`: the report's percentiles are nearest-rank
 * estimates from log buckets (within 0.5 %). `percentile_cont` interpolates between samples (a
 * different figure) and sorts each group; bucket counts are part of the one hash aggregate and
 * give the JSONL path's very numbers.
 */
import { HISTOGRAM_LIMITS } from "../../../analysis/internal/histogram.js";
import { MAX_LATENCY_MS, MAX_MINUTES } from "../../../internal/check-fields.js";

const { minValue, maxValue, logGamma } = HISTOGRAM_LIMITS;

/** Bucket keys standing for "below the bucketed range" and "above it". */
export const UNDERFLOW_BUCKET = -2_000_000_000;
export const OVERFLOW_BUCKET = 2_000_000_000;

// Every test is NULL-safe and every cast sits behind a CASE: PostgreSQL does not promise to
// evaluate AND from left to right, and casting a jsonb string to float8 fails.
const isType = (field: string, type: string) => `(jsonb_typeof(${field}) IS NOT DISTINCT FROM '${type}')`;
/** `field` (jsonb) as float8 when it is a number in [0, max], else NULL. */
const numberIn = (field: string, max: number) => `(CASE WHEN jsonb_typeof(${field}) = 'number' THEN CASE WHEN (${field})::float8 BETWEEN 0 AND ${max} THEN (${field})::float8 END END)`;
const inRange = (field: string, max: number) => `(${numberIn(field, max)} IS NOT NULL)`;
/** `field` as text when it is a JSON string, else NULL. */
const stringOf = (field: string) => `(CASE WHEN jsonb_typeof(${field}) = 'string' THEN ${field} #>> '{}' END)`;
/** The elements of `field` when it is an array, else none (jsonb_array_elements fails on anything else). */
const elements = (field: string) => `jsonb_array_elements(CASE WHEN jsonb_typeof(${field}) = 'array' THEN ${field} ELSE '[]'::jsonb END)`;
const present = (object: string, key: string) => `(${object} ? '${key}' AND ${object}->'${key}' <> 'null'::jsonb)`;
/** 1 when `object.key` holds something that is neither null nor `valid` (a reader removes it), else 0. */
const dropped = (object: string, key: string, valid: string) => `(CASE WHEN ${present(object, key)} AND NOT ${valid} THEN 1 ELSE 0 END)`;
// A jsonpath, not an EXISTS subquery: a correlated subquery would keep the whole statement out of parallel workers.
const allStrings = (field: string) => `(CASE WHEN jsonb_typeof(${field}) = 'array' THEN NOT jsonb_path_exists(${field}, 'strict $[*] ? (@.type() != "string")', '{}', true) ELSE false END)`;

/** Fields a reader removes from an outcome (checkOutcomeFields). */
export const outcomeFields = (o: string) =>
  [
    dropped(o, "completion_time_minutes", inRange(`${o}->'completion_time_minutes'`, MAX_MINUTES)),
    dropped(o, "quality_score", inRange(`${o}->'quality_score'`, 1)),
    dropped(o, "was_correct_master", isType(`${o}->'was_correct_master'`, "boolean")),
    dropped(o, "user_corrected_to", isType(`${o}->'user_corrected_to'`, "string")),
  ].join(" + ");

/** Fields a reader removes from one layer attempt (checkAttemptFields); a null expert or error goes silently. */
const attemptFields = (a: string) =>
  [
    dropped(a, "selected_master", isType(`${a}->'selected_master'`, "string")),
    dropped(a, "confidence", inRange(`${a}->'confidence'`, 1)),
    dropped(a, "latency_ms", inRange(`${a}->'latency_ms'`, MAX_LATENCY_MS)),
    dropped(a, "shadow", isType(`${a}->'shadow'`, "boolean")),
    `(CASE WHEN ${a} ? 'success' AND NOT ${isType(`${a}->'success'`, "boolean")} THEN 1 ELSE 0 END)`,
    dropped(a, "error", `(${isType(`${a}->'error'`, "object")} AND ${isType(`${a}->'error'->'code'`, "string")})`),
  ].join(" + ");

/**
 * Fields a reader removes from a decision (checkDecisionFields), given the decision's fields as
 * jsonb_to_record extracted them (JSON null reads as SQL NULL there, so `r ? key` tells a null
 * apart from an absent key where a null counts).
 */
const decisionFields = [
  `(CASE WHEN f.task_description IS NULL THEN (d.record ? 'task_description')::int WHEN jsonb_typeof(f.task_description) <> 'string' THEN 1 ELSE 0 END)`,
  `(CASE WHEN f.confidence IS NULL THEN (d.record ? 'confidence')::int WHEN ${inRange("f.confidence", 1)} THEN 0 ELSE 1 END)`,
  `(CASE WHEN f.total_latency_ms IS NULL OR ${inRange("f.total_latency_ms", MAX_LATENCY_MS)} THEN 0 ELSE 1 END)`,
  `(CASE WHEN f.shadow IS NULL OR jsonb_typeof(f.shadow) = 'boolean' THEN 0 ELSE 1 END)`,
  `(CASE WHEN f.ab_test IS NULL THEN (d.record ? 'ab_test')::int
     WHEN ${isType("f.ab_test", "object")} AND ${isType("f.ab_test->'experiment'", "string")} AND ${isType("f.ab_test->'variant'", "string")} THEN 0 ELSE 1 END)`,
  `(CASE WHEN f.clarification IS NULL THEN (d.record ? 'clarification')::int WHEN jsonb_typeof(f.clarification) <> 'object' THEN 1
     ELSE ${dropped("f.clarification", "reason", isType("f.clarification->'reason'", "string"))} + ${dropped("f.clarification", "candidates", allStrings("f.clarification->'candidates'"))} END)`,
].join(" + ");

const nulls = (count: number) => Array.from({ length: count }, () => "NULL").join(", ");

/** How the newest outcome of each decision is found. */
export type OutcomeJoin = "lookup" | "hash";

/** An outcome record a reader can use (the others are invalid records, not reports). */
const RECORD_READABLE = "jsonb_typeof(o.record->'outcome') = 'object'";

function outcomeJoin(outcomes: string, join: OutcomeJoin): string {
  // A window: few decisions, each looks its newest outcome up in the (event_id, seq) index.
  // `records`: the event's readable outcome records (more than one: re-recorded), counted before the LIMIT.
  if (join === "lookup")
    return `LEFT JOIN LATERAL (SELECT o.record->'outcome' AS outcome, count(*) FILTER (WHERE ${RECORD_READABLE}) OVER () AS records FROM ${outcomes} o WHERE o.event_id = d.event_id ORDER BY o.seq DESC LIMIT 1) latest ON true`;
  // The whole log: every outcome is needed anyway; one pass over them and a hash join beat an index lookup per decision.
  // The window's partition is the sort's prefix: counting the records costs no second sort.
  return `LEFT JOIN (SELECT DISTINCT ON (o.event_id) o.event_id, o.record->'outcome' AS outcome, count(*) FILTER (WHERE ${RECORD_READABLE}) OVER (PARTITION BY o.event_id) AS records FROM ${outcomes} o ORDER BY o.event_id, o.seq DESC) latest ON latest.event_id = d.event_id`;
}

const bucketOf = (v: string) =>
  `(CASE WHEN ${v} IS NULL THEN NULL WHEN ${v} < ${minValue} THEN ${UNDERFLOW_BUCKET} WHEN ${v} > ${maxValue} THEN ${OVERFLOW_BUCKET} ELSE ceil(ln(${v}) / ${logGamma}::float8)::int END)`;

/** The grouping keys: what a decision, an attempt or a latency row is counted by. */
const DIMENSIONS = [
  "kind",
  "usable",
  "kept",
  "excluded",
  "expert",
  "routed_by",
  "corrected",
  "reason",
  "c0",
  "c1",
  "experiment",
  "variant",
  "verdict",
  "has_outcome",
  "completed",
  "counted",
  "name",
  "shadow",
  "success",
  "errored",
  "code",
  "named",
  "hit",
  "bin",
  "lb",
]
  .map((column) => `x.${column}`)
  .join(", ");

/**
 * The analysis statement over `<prefix>_decisions` and `<prefix>_outcomes`.
 * $1 since, $2 until (timestamptz or NULL), $3 the layer filter (text or NULL), $4 the number
 * of calibration bins, $5 true to leave out synthetic (generated sample) decisions. Each row is one group: `kind` 'd' (decision figures), 'a' (attempt
 * figures), 'l' (a latency bucket: the decision's when `name` is NULL, else a live attempt's
 * of that layer), 'o' (malformed outcomes). Columns are read in pg-analysis.ts.
 *
 * Every per-row value is computed in a LATERAL subquery fenced by OFFSET 0, once, instead of
 * being inlined (and re-evaluated) wherever it is used; and the one plain GROUP BY lets
 * PostgreSQL aggregate in parallel workers (grouping sets would not).
 */
export function analysisStatement(decisions: string, outcomes: string, join: OutcomeJoin): string {
  return `SELECT ${DIMENSIONS},
  count(*)::float8 AS n, min(x.at) AS first, max(x.at) AS last, sum(x.bad)::float8 AS bad,
  sum(x.minutes) AS minutes_sum, count(x.minutes)::float8 AS minutes_n, sum(x.quality) AS quality_sum, count(x.quality)::float8 AS quality_n,
  sum(x.confidence) AS confidence_sum, min(x.position)::float8 AS position, max(x.seq)::float8 AS newest,
  sum(x.latency) AS latency_sum, min(x.latency) AS latency_min, max(x.latency) AS latency_max, sum(x.rerecorded)::float8 AS rerecorded
FROM ${decisions} d
${outcomeJoin(outcomes, join)}
CROSS JOIN LATERAL jsonb_to_record(d.record) AS f(selected_master jsonb, routing_layer jsonb, layer_attempts jsonb, total_latency_ms jsonb,
  clarification jsonb, ab_test jsonb, confidence jsonb, task_description jsonb, shadow jsonb, synthetic jsonb)
CROSS JOIN LATERAL (
  SELECT coalesce(bool_and(jsonb_typeof(x->'layer_name') IS NOT DISTINCT FROM 'string'), true) AS named_all,
    coalesce(bool_or(x->>'layer_name' = $3::text AND x->'shadow' IS DISTINCT FROM 'true'::jsonb), false) AS touches
  FROM ${elements("f.layer_attempts")} x
) s
CROSS JOIN LATERAL (
  SELECT CASE WHEN jsonb_typeof(latest.outcome) = 'object' THEN latest.outcome END AS outcome,
    ${isType("f.selected_master", "string")} AND ${isType("f.routing_layer", "string")} AND ${isType("f.layer_attempts", "array")} AND s.named_all AS usable,
    f.selected_master #>> '{}' AS expert, f.routing_layer #>> '{}' AS routed_by
  OFFSET 0
) u
CROSS JOIN LATERAL (
  SELECT u.usable AND CASE WHEN $3::text IS NULL THEN true ELSE u.routed_by = $3::text OR s.touches END AS in_scope,
    -- In scope and not generated sample data left out ($5): what the analyzer counts.
    u.usable AND CASE WHEN $3::text IS NULL THEN true ELSE u.routed_by = $3::text OR s.touches END
      AND NOT ($5::boolean AND f.synthetic IS NOT DISTINCT FROM 'true'::jsonb) AS kept,
    ${stringOf("u.outcome->'user_corrected_to'")} AS corrected_to,
    CASE WHEN u.usable THEN ${decisionFields} ELSE 0 END AS bad
  OFFSET 0
) k
CROSS JOIN LATERAL (
  SELECT CASE
      WHEN u.outcome IS NULL THEN 0
      WHEN k.corrected_to <> '' AND k.corrected_to <> u.expert THEN 2
      WHEN u.outcome->'was_correct_master' = 'true'::jsonb THEN 1
      WHEN u.outcome->'was_correct_master' = 'false'::jsonb THEN 2
      WHEN k.corrected_to = u.expert THEN 1
      ELSE 0
    END AS verdict
  OFFSET 0
) v
CROSS JOIN LATERAL (
  SELECT CASE WHEN v.verdict = 1 THEN u.expert WHEN v.verdict = 2 AND k.corrected_to <> '' THEN k.corrected_to END AS right_expert,
    CASE WHEN k.kept THEN ${numberIn("f.total_latency_ms", MAX_LATENCY_MS)} END AS latency
  OFFSET 0
) w
CROSS JOIN LATERAL (
  -- The decision's row.
  SELECT 'd' AS kind, u.usable, k.kept, k.in_scope AND NOT k.kept AS excluded,
    CASE WHEN k.kept THEN u.expert END AS expert, CASE WHEN k.kept THEN u.routed_by END AS routed_by,
    CASE WHEN k.kept AND k.corrected_to <> '' AND k.corrected_to <> u.expert THEN k.corrected_to END AS corrected,
    CASE WHEN k.kept AND u.routed_by = 'clarification' THEN coalesce(CASE WHEN jsonb_typeof(f.clarification) = 'object' THEN ${stringOf("f.clarification->'reason'")} END, 'unspecified') END AS reason,
    p.candidates->>0 AS c0, p.candidates->>1 AS c1,
    CASE WHEN k.kept AND ${isType("f.ab_test", "object")} AND ${isType("f.ab_test->'experiment'", "string")} AND ${isType("f.ab_test->'variant'", "string")} THEN f.ab_test->>'experiment' END AS experiment,
    CASE WHEN k.kept AND ${isType("f.ab_test", "object")} AND ${isType("f.ab_test->'experiment'", "string")} AND ${isType("f.ab_test->'variant'", "string")} THEN f.ab_test->>'variant' END AS variant,
    CASE WHEN k.kept THEN v.verdict END AS verdict, CASE WHEN k.kept THEN u.outcome IS NOT NULL END AS has_outcome,
    CASE WHEN k.kept THEN coalesce(u.outcome->'task_completed' = 'true'::jsonb
      OR (jsonb_typeof(u.outcome->'task_completed') IS DISTINCT FROM 'boolean' AND u.outcome->'task_status' = '"completed"'::jsonb), false) END AS completed,
    NULL::boolean AS counted, NULL::text AS name, NULL::boolean AS shadow, NULL::boolean AS success, NULL::boolean AS errored, NULL::text AS code,
    NULL::text AS named, NULL::boolean AS hit, NULL::int AS bin, NULL::int AS lb,
    CASE WHEN k.kept THEN floor(extract(epoch FROM d."timestamp") * 1000)::float8 END AS at, d.seq, NULL::bigint AS position,
    NULL::float8 AS latency, NULL::float8 AS confidence, k.bad::float8 AS bad,
    CASE WHEN k.kept THEN ${numberIn("u.outcome->'completion_time_minutes'", MAX_MINUTES)} END AS minutes,
    CASE WHEN k.kept THEN ${numberIn("u.outcome->'quality_score'", 1)} END AS quality,
    -- Outcome records beyond the first: re-recorded outcomes (the latest is in force).
    CASE WHEN k.kept AND u.outcome IS NOT NULL THEN greatest(latest.records - 1, 0) END AS rerecorded
  FROM (SELECT CASE WHEN k.kept AND u.routed_by = 'clarification' AND jsonb_typeof(f.clarification) = 'object' AND f.clarification->'reason' = '"ambiguous"'::jsonb
      AND ${allStrings("f.clarification->'candidates'")} THEN CASE WHEN jsonb_array_length(f.clarification->'candidates') >= 2 THEN f.clarification->'candidates' END END AS candidates) p
  UNION ALL
  -- The decision's latency bucket.
  SELECT 'l', ${nulls(14)}, ${nulls(9)}, ${bucketOf("w.latency")}, NULL, NULL, NULL, w.latency, NULL, NULL, NULL, NULL, NULL
  WHERE w.latency IS NOT NULL
  UNION ALL
  -- One row per layer attempt of a usable decision (counted when the decision is kept and the
  -- layer passes the filter; the others only bring their malformed fields), and one per live latency.
  SELECT kinds.kind, ${nulls(14)},
    a.counted, a.name, a.shadow, a.success, a.errored, a.code, a.named, a.hit, a.bin,
    CASE WHEN kinds.kind = 'l' THEN ${bucketOf("a.latency")} END,
    NULL, CASE WHEN kinds.kind = 'a' THEN d.seq END, CASE WHEN kinds.kind = 'a' THEN e.ordinality - 1 END,
    a.latency, CASE WHEN kinds.kind = 'a' THEN a.confidence END, CASE WHEN kinds.kind = 'a' THEN a.bad::float8 END, NULL, NULL, NULL
  FROM ${elements("CASE WHEN u.usable THEN f.layer_attempts END")} WITH ORDINALITY AS e(value, ordinality)
  CROSS JOIN LATERAL (
    SELECT k.kept AND ($3::text IS NULL OR e.value->>'layer_name' = $3::text) AS counted, e.value->>'layer_name' AS name,
      coalesce(e.value->'shadow' = 'true'::jsonb, false) AS shadow, coalesce(e.value->'success' = 'true'::jsonb, false) AS success,
      ${present("e.value", "error")} AS errored,
      CASE WHEN ${present("e.value", "error")} THEN coalesce(CASE WHEN jsonb_typeof(e.value->'error') = 'object' THEN ${stringOf("e.value->'error'->'code'")} END, 'unknown') END AS code,
      ${stringOf("e.value->'selected_master'")} AS named, ${numberIn("e.value->'confidence'", 1)} AS confidence,
      ${numberIn("e.value->'latency_ms'", MAX_LATENCY_MS)} AS live_latency, ${attemptFields("e.value")} AS bad
    OFFSET 0
  ) ab
  CROSS JOIN LATERAL (
    SELECT ab.counted, ab.name, ab.shadow, ab.success, ab.errored, ab.code, ab.named, ab.confidence, ab.bad,
      CASE WHEN ab.counted AND NOT ab.shadow THEN ab.live_latency END AS latency,
      -- Was a judged attempt right? Live accepted ones carry the decision's verdict; shadow ones are judged by judgeAttempt.
      CASE
        WHEN NOT ab.counted THEN NULL
        WHEN NOT ab.shadow THEN CASE WHEN ab.success AND v.verdict <> 0 THEN v.verdict = 1 END
        WHEN ab.named IS NULL OR ab.confidence IS NULL OR u.outcome IS NULL THEN NULL
        WHEN w.right_expert IS NOT NULL THEN ab.named = w.right_expert
        WHEN v.verdict = 2 AND ab.named = u.expert THEN false
      END AS hit,
      CASE WHEN ab.confidence IS NOT NULL THEN least($4::int - 1, floor(ab.confidence * $4::int)::int) END AS bin
  ) a
  CROSS JOIN LATERAL (SELECT 'a' AS kind UNION ALL SELECT 'l' WHERE a.latency IS NOT NULL) kinds
) x
WHERE ($1::timestamptz IS NULL OR d."timestamp" >= $1::timestamptz) AND ($2::timestamptz IS NULL OR d."timestamp" < $2::timestamptz)
GROUP BY ${DIMENSIONS}
UNION ALL
-- What the JSONL reader counts of outcomes: every outcome recorded (in the window), superseded ones too.
SELECT 'o', ${nulls(24)},
  count(*) FILTER (WHERE jsonb_typeof(o.record->'outcome') IS DISTINCT FROM 'object')::float8, NULL, NULL,
  coalesce(sum(CASE WHEN jsonb_typeof(o.record->'outcome') = 'object' THEN ${outcomeFields("o.record->'outcome'")} END), 0)::float8, ${nulls(11)}
FROM ${outcomes} o
WHERE ($1::timestamptz IS NULL OR o."timestamp" >= $1::timestamptz) AND ($2::timestamptz IS NULL OR o."timestamp" < $2::timestamptz)`;
}
