/**
 * SQL of the time series on the PostgreSQL store: one statement aggregates per bucket in the
 * database (bucket = floor((epoch ms - origin) / width), latency order statistics by
 * row_number), so only a few rows per bucket travel to Node. Every rule mirrors what the
 * store's reader keeps (read-record.ts, check-fields.ts) fed to the streaming accumulator
 * (bucket-state.ts): same records left out, same verdicts, same live/shadow split, same
 * nearest ranks computed in float8 as JavaScript computes them.
 */

// One rank expression per quantile end; n is the partition's sample count.
const N = "n::float8";
const SPREAD = `(1.96::float8 * sqrt(${N} * 0.95::float8 * (1::float8 - 0.95::float8)))`;
const RANK = `greatest(1::float8, ceil(${N} * 0.95::float8))`;
const LOW = `greatest(1::float8, floor(${N} * 0.95::float8 - ${SPREAD}))`;
const HIGH = `least(${N}, ceil(${N} * 0.95::float8 + ${SPREAD}))`;

// What the readers keep (internal/check-fields.ts): any error that is not null counts (one
// that cannot be read becomes code "unknown"); a latency outside [0, 1 day] is dropped.
const ERRORED = `(x.value ? 'error' AND x.value->'error' <> 'null'::jsonb)`;
const MAX_LATENCY_MS = 86_400_000;
const latency = (field: string) => `CASE WHEN jsonb_typeof(${field}) = 'number' AND (${field})::text::float8 BETWEEN 0 AND ${MAX_LATENCY_MS} THEN (${field})::text::float8 END`;

/**
 * $1 since, $2 until (timestamptz or null), $3 origin and $4 width (epoch ms, float8),
 * $5 the layer filter (text or null), $6 true to leave out synthetic (generated sample) decisions. Rows: kind ('d' decisions, 'e' expert, 'a' all
 * attempts, 'l' layer, 'p' latency; key null for the decision level), bucket b, key, stats.
 */
export function seriesStatement(decisions: string, outcomes: string): string {
  return `WITH d AS (
  SELECT floor(((extract(epoch FROM d."timestamp") * 1000)::float8 - $3::float8) / $4::float8)::bigint AS b,
         d.selected_master AS expert, d.routing_layer AS routed_by, d.record,
         CASE WHEN jsonb_typeof(latest.outcome) = 'object' THEN latest.outcome END AS outcome
  FROM ${decisions} d
  LEFT JOIN LATERAL (SELECT o.record->'outcome' AS outcome FROM ${outcomes} o WHERE o.event_id = d.event_id ORDER BY o.seq DESC LIMIT 1) latest ON true
  WHERE ($1::timestamptz IS NULL OR d."timestamp" >= $1::timestamptz)
    AND ($2::timestamptz IS NULL OR d."timestamp" < $2::timestamptz)
    AND (NOT $6::boolean OR d.record->'synthetic' IS DISTINCT FROM 'true'::jsonb)
    AND jsonb_typeof(d.record->'selected_master') = 'string'
    AND jsonb_typeof(d.record->'routing_layer') = 'string'
    AND jsonb_typeof(d.record->'layer_attempts') = 'array'
    -- The reader drops a decision with an attempt that is not an object with a layer name.
    AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(d.record->'layer_attempts') bad WHERE jsonb_typeof(bad->'layer_name') IS DISTINCT FROM 'string')
), v AS (
  SELECT b, expert, routed_by, record, outcome,
    -- The SQL form of judge() in src/outcome-judgement.ts (a correction decides, then
    -- was_correct_master); fixtures/rules/outcome-judgements.json pins both.
    CASE
      WHEN outcome IS NULL THEN 0
      WHEN jsonb_typeof(outcome->'user_corrected_to') = 'string' AND outcome->>'user_corrected_to' = expert THEN 1
      WHEN jsonb_typeof(outcome->'user_corrected_to') = 'string' AND outcome->>'user_corrected_to' <> '' THEN 2
      WHEN outcome->'was_correct_master' = 'true'::jsonb THEN 1
      WHEN outcome->'was_correct_master' = 'false'::jsonb THEN 2
      ELSE 0
    END AS verdict,
    ${latency("record->'total_latency_ms'")} AS latency
  FROM d
), a AS (
  SELECT v.b, v.verdict, x.value->>'layer_name' AS name, x.ordinality - 1 AS position,
    coalesce(x.value->'shadow' = 'true'::jsonb, false) AS shadow,
    coalesce(x.value->'success' = 'true'::jsonb, false) AS success,
    ${ERRORED} AS errored,
    ${latency("x.value->'latency_ms'")} AS latency
  FROM v CROSS JOIN LATERAL jsonb_array_elements(v.record->'layer_attempts') WITH ORDINALITY AS x(value, ordinality)
), lat AS (
  SELECT b, NULL::text AS name, latency AS value FROM v WHERE latency >= 0
  UNION ALL
  SELECT b, name, latency FROM a WHERE NOT shadow AND latency >= 0 AND ($5::text IS NULL OR name = $5::text)
), ranked AS (
  SELECT b, name, value, row_number() OVER (PARTITION BY b, name ORDER BY value) AS rn, count(*) OVER (PARTITION BY b, name) AS n FROM lat
)
SELECT 'd' AS kind, b, NULL::text AS key, jsonb_build_object(
    'decisions', count(*), 'withOutcome', count(outcome),
    'judged', count(*) FILTER (WHERE verdict <> 0), 'correct', count(*) FILTER (WHERE verdict = 1),
    'clarifications', count(*) FILTER (WHERE routed_by = 'clarification')) AS stats
  FROM v GROUP BY b
UNION ALL
SELECT 'e', b, expert, jsonb_build_object('count', count(*)) FROM v GROUP BY b, expert
UNION ALL
SELECT 'a', b, NULL, jsonb_build_object('attempts', count(*), 'errors', count(*) FILTER (WHERE errored)) FROM a WHERE NOT shadow GROUP BY b
UNION ALL
SELECT 'l', b, name, jsonb_build_object(
    'position', min(position),
    'attempts', count(*) FILTER (WHERE NOT shadow),
    'accepted', count(*) FILTER (WHERE NOT shadow AND success),
    'errors', count(*) FILTER (WHERE NOT shadow AND errored),
    'judged', count(*) FILTER (WHERE NOT shadow AND success AND verdict <> 0),
    'correct', count(*) FILTER (WHERE NOT shadow AND success AND verdict = 1))
  FROM a WHERE $5::text IS NULL OR name = $5::text GROUP BY b, name
UNION ALL
SELECT 'p', b, name, jsonb_build_object(
    'count', max(n),
    'p95', min(value) FILTER (WHERE rn = ${RANK}),
    'low', min(value) FILTER (WHERE rn = ${LOW}),
    'high', min(value) FILTER (WHERE rn = ${HIGH}))
  FROM ranked GROUP BY b, name`;
}

/** The events' first and last decision time in the range (for "auto" and bucket-count checks). */
export function spanStatement(decisions: string): string {
  return `SELECT (extract(epoch FROM min("timestamp")) * 1000)::float8 AS first, (extract(epoch FROM max("timestamp")) * 1000)::float8 AS last
FROM ${decisions}
WHERE ($1::timestamptz IS NULL OR "timestamp" >= $1::timestamptz) AND ($2::timestamptz IS NULL OR "timestamp" < $2::timestamptz)
  AND (NOT $3::boolean OR record->'synthetic' IS DISTINCT FROM 'true'::jsonb)`;
}
