/** SQL of the PostgreSQL store (reads and writes; the schema is in stores/postgres/sql/migrations.ts), parameterised by the table prefix (validated as an identifier). */
export interface PgStatements {
  readonly insertBatch: string;
  readonly readPage: string;
  readonly getOne: string;
  readonly correctionsAfter: string;
}

/** Builds the statements for tables `<prefix>_decisions` and `<prefix>_outcomes`. */
export function pgStatements(prefix: string): PgStatements {
  const decisions = `${prefix}_decisions`;
  const outcomes = `${prefix}_outcomes`;
  const outcomeJoin = `LEFT JOIN LATERAL (SELECT o.record FROM ${outcomes} o WHERE o.event_id = d.event_id ORDER BY o.seq DESC LIMIT 1) latest ON true`;
  return {
    // $1: a JSON array of records. Both inserts run in one statement, so one batch is atomic.
    insertBatch: `WITH input AS (
  SELECT value, ordinality FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY
), new_decisions AS (
  INSERT INTO ${decisions} (event_id, "timestamp", routing_layer, selected_master, schema_version, record)
  SELECT value->>'event_id', (value->>'timestamp')::timestamptz, value->>'routing_layer', value->>'selected_master',
         COALESCE((value->>'schema_version')::integer, 0), value
  FROM input WHERE value->>'record_type' = 'decision' ORDER BY ordinality
  ON CONFLICT (event_id) DO NOTHING RETURNING 1
), new_outcomes AS (
  INSERT INTO ${outcomes} (event_id, "timestamp", record)
  SELECT value->>'event_id', (value->>'timestamp')::timestamptz, value
  FROM input WHERE value->>'record_type' = 'outcome' ORDER BY ordinality RETURNING 1
)
SELECT (SELECT count(*) FROM new_decisions) AS decisions, (SELECT count(*) FROM new_outcomes) AS outcomes`,
    // Keyset pagination on seq (newest first): no cursor, no extra dependency.
    // $1 since, $2 until, $3 seq upper bound (exclusive), $4 page size.
    readPage: `SELECT d.seq::text AS seq, d.record::text AS record, latest.record::text AS outcome
FROM ${decisions} d ${outcomeJoin}
WHERE ($1::timestamptz IS NULL OR d."timestamp" >= $1::timestamptz)
  AND ($2::timestamptz IS NULL OR d."timestamp" < $2::timestamptz)
  AND ($3::bigint IS NULL OR d.seq < $3::bigint)
ORDER BY d.seq DESC LIMIT $4`,
    getOne: `SELECT d.record::text AS record, latest.record::text AS outcome FROM ${decisions} d ${outcomeJoin} WHERE d.event_id = $1`,
    // Corrected outcomes in insertion order after a cursor (outcome seq), each with its decision.
    // $1 cursor (exclusive), $2 limit.
    correctionsAfter: `SELECT o.seq::text AS seq, d.record::text AS record, o.record::text AS outcome
FROM ${outcomes} o JOIN ${decisions} d ON d.event_id = o.event_id
WHERE o.seq > $1::bigint AND o.record->'outcome'->>'user_corrected_to' IS NOT NULL
ORDER BY o.seq LIMIT $2`,
  };
}
