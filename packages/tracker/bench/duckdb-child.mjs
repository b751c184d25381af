// One measured run of DuckDB (the peer of scale-jsonl.bench.ts) in its own process: reads the
// JSONL log with read_json into a table of the fields the analysis uses, joins each decision to
// its latest outcome and computes per-layer and per-decision aggregates like the tracker's
// analysis (counts, acceptance, accuracy, mean confidence, latency percentiles). Prints wall and
// CPU seconds and peak RSS (VmHWM, all threads).
// Usage: node duckdb-child.mjs analysis|read <log.jsonl> [threads]. "read" is DuckDB's floor:
// one pass of read_json over the same columns into a single GROUP BY, no join, no table.
import { readFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const [mode, path, threads] = process.argv.slice(2);
const started = performance.now();
const cpu = process.cpuUsage();
const instance = await DuckDBInstance.create(":memory:", threads ? { threads } : {});
const db = await instance.connect();
const columns = `{record_type: 'VARCHAR', event_id: 'VARCHAR', timestamp: 'VARCHAR', selected_master: 'VARCHAR', routing_layer: 'VARCHAR',
  total_latency_ms: 'DOUBLE', ab_test: 'STRUCT(experiment VARCHAR, variant VARCHAR)', clarification: 'STRUCT(reason VARCHAR, candidates VARCHAR[])',
  layer_attempts: 'STRUCT(layer_name VARCHAR, selected_master VARCHAR, confidence DOUBLE, success BOOLEAN, shadow BOOLEAN, latency_ms DOUBLE, error STRUCT(code VARCHAR))[]',
  outcome: 'STRUCT(task_completed BOOLEAN, was_correct_master BOOLEAN, user_corrected_to VARCHAR, completion_time_minutes DOUBLE, quality_score DOUBLE)'}`;
const source = `read_json('${path.replaceAll("'", "''")}', format = 'newline_delimited', ignore_errors = true, columns = ${columns})`;
let decisions, rows;
if (mode === "read") {
  const result = await db.runAndReadAll(
    `SELECT record_type, count(*)::INTEGER, count(DISTINCT event_id)::INTEGER, avg(total_latency_ms), count(outcome)::INTEGER, sum(len(layer_attempts))::INTEGER FROM ${source} GROUP BY 1`,
  );
  const byType = new Map(result.getRows().map((row) => [row[0], row]));
  decisions = [byType.get("decision")?.[2] ?? 0, byType.get("outcome")?.[2] ?? 0];
  rows = result.getRows().length;
} else {
  await db.run(`CREATE TABLE ev AS SELECT *, row_number() OVER () AS line FROM ${source}`);
  await db.run(`CREATE TABLE joined AS
    WITH d AS (SELECT * FROM ev WHERE record_type = 'decision' QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY line DESC) = 1),
         o AS (SELECT event_id, arg_max(outcome, line) AS outcome FROM ev WHERE record_type = 'outcome' GROUP BY event_id)
    SELECT d.*, o.outcome AS result FROM d LEFT JOIN o USING (event_id)`);
  const layers = await db.runAndReadAll(`SELECT a.layer_name, count(*) AS attempts, sum(CASE WHEN a.success THEN 1 ELSE 0 END) AS accepted,
    count(a.error) AS errors, avg(a.confidence) AS confidence, quantile_cont(a.latency_ms, [0.5, 0.95, 0.99]) AS latency,
    avg(CASE WHEN a.success AND result.was_correct_master IS NOT NULL THEN (result.was_correct_master AND result.user_corrected_to IS NULL)::INT END) AS accuracy
    FROM joined, unnest(layer_attempts) AS t(a) GROUP BY 1 ORDER BY 1`);
  const overall = await db.runAndReadAll(`SELECT routing_layer, selected_master, ab_test.experiment, ab_test.variant, clarification.reason, count(*) AS decisions,
    count(result) AS with_outcome, avg(result.was_correct_master::INT) AS accuracy, avg(result.completion_time_minutes) AS minutes, avg(result.quality_score) AS quality,
    quantile_cont(total_latency_ms, [0.5, 0.95, 0.99]) AS latency FROM joined GROUP BY ALL`);
  const corrections = await db.runAndReadAll(`SELECT selected_master, result.user_corrected_to, count(*) FROM joined WHERE result.user_corrected_to IS NOT NULL GROUP BY ALL`);
  decisions = (await db.runAndReadAll("SELECT count(*)::INTEGER, count(result)::INTEGER FROM joined")).getRows()[0];
  rows = layers.getRows().length + overall.getRows().length + corrections.getRows().length;
}
db.closeSync();
instance.closeSync();
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? Number.NaN);
console.log(JSON.stringify({ seconds, cpuSeconds: (used.user + used.system) / 1e6, peakMiB: peakKiB / 1024, decisions: decisions[0], outcomes: decisions[1], rows }));
