/**
 * Issue #15, PostgreSQL part: `analyze` computed in SQL (`store.analyze()`, what the CLI,
 * `analyzeStore` and the alerts use on PostgreSQL) against the streaming path (every decision
 * read through `read()` into the analyzer in Node), on a throwaway server
 * (tools/test-support/postgres.ts) holding 1,000,000 decisions and their outcomes.
 *
 * Loading: 10,000 sample decisions (generateSampleRecords, ~70 % with an outcome) go in through
 * the store; SQL then copies them (generate_series, new event ids, timestamps spread back in
 * time) up to the size wanted, so a million rows load in seconds, not by a million inserts.
 *
 * Figures per size, runs alternated (SQL, stream, SQL, ...), medians: wall seconds, CPU seconds
 * of the Node process and of the server backend (from /proc), bytes received by Node from the
 * server, and each as a ratio SQL / stream. Both reports are checked equal first.
 *
 * Run: pnpm bench scale   (MOE_BENCH_PG_SIZES=1000000,10000000 for 10M: about an hour on two
 * cores, so not the default; MOE_BENCH_RUNS=3)
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import pg from "pg";
import { analyzeStore, generateSampleRecords, postgresStore, type AnalysisReport, type EventStore } from "../src/index.js";
import { startPostgres } from "../../../tools/test-support/postgres.js";

const sizes = (process.env.MOE_BENCH_PG_SIZES ?? "1000000").split(",").map(Number);
const runs = Number(process.env.MOE_BENCH_RUNS ?? 3);
const SEED_DECISIONS = 10_000;
const END = new Date("2026-01-01T00:00:00.000Z");
const PREFIX = "scale";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ticks = Number(process.env.CLK_TCK ?? 100);

/** CPU seconds (user + system) of a process, from /proc; NaN when it cannot be read. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  } catch {
    return Number.NaN;
  }
}

const server = await startPostgres();
let received = 0;
const pool = new pg.Pool({ connectionString: server.url, max: 2 });
pool.on("connect", (client) => {
  (client as unknown as { connection: { stream: NodeJS.ReadableStream } }).connection.stream.on("data", (chunk: Buffer) => (received += chunk.length));
});
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();

async function seed(store: EventStore): Promise<void> {
  for (const record of generateSampleRecords({ count: SEED_DECISIONS, seed: 15, days: 30, end: END })) {
    store.append(record);
    const wait = store.whenWritable?.();
    if (wait) await wait;
  }
  await store.flush();
}

/** Copies the seed rows in SQL until the tables hold `size` decisions. */
async function growTo(size: number): Promise<void> {
  const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${PREFIX}_decisions`);
  const have = rows[0].n as number;
  if (have >= size) return;
  const copies = Math.ceil((size - have) / SEED_DECISIONS);
  const started = performance.now();
  // Copy k of the seed gets event id "<id>~k" and is moved k * 30 days back.
  await admin.query(
    `INSERT INTO ${PREFIX}_decisions (event_id, "timestamp", routing_layer, selected_master, schema_version, record)
    SELECT d.event_id || '~' || k, d."timestamp" - k * interval '30 days', d.routing_layer, d.selected_master, d.schema_version,
      jsonb_set(jsonb_set(d.record, '{event_id}', to_jsonb(d.event_id || '~' || k)), '{timestamp}', to_jsonb(to_char((d."timestamp" - k * interval '30 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
    FROM ${PREFIX}_decisions d CROSS JOIN generate_series($1::int, $2::int) k WHERE d.seq <= $3 ORDER BY k, d.seq`,
    [have / SEED_DECISIONS, have / SEED_DECISIONS + copies - 1, SEED_DECISIONS],
  );
  await admin.query(
    `INSERT INTO ${PREFIX}_outcomes (event_id, "timestamp", record)
    SELECT o.event_id || '~' || k, o."timestamp" - k * interval '30 days', jsonb_set(o.record, '{event_id}', to_jsonb(o.event_id || '~' || k))
    FROM ${PREFIX}_outcomes o CROSS JOIN generate_series($1::int, $2::int) k WHERE o.event_id NOT LIKE '%~%' ORDER BY k, o.seq`,
    [have / SEED_DECISIONS, have / SEED_DECISIONS + copies - 1],
  );
  await admin.query(`DELETE FROM ${PREFIX}_decisions WHERE seq > (SELECT min(seq) FROM ${PREFIX}_decisions) + $1 - 1`, [size]);
  await admin.query(`VACUUM ANALYZE ${PREFIX}_decisions`);
  await admin.query(`VACUUM ANALYZE ${PREFIX}_outcomes`);
  console.log(`loaded ${size.toLocaleString("en")} decisions in ${((performance.now() - started) / 1000).toFixed(1)} s (SQL copies of ${SEED_DECISIONS.toLocaleString("en")} sample decisions)`);
}

interface Sample {
  wall: number;
  node: number;
  server: number;
  bytes: number;
  report: AnalysisReport;
}

/** One analysis; the backend's CPU is read on the connection that ran it (one client, max 2 in the pool). */
async function measure(run: () => Promise<AnalysisReport>): Promise<Sample> {
  const backends = (await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`)).rows.map(
    (r) => r.pid as number,
  );
  const serverBefore = backends.reduce((sum, pid) => sum + cpuOf(pid), 0);
  const bytesBefore = received;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await run();
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const serverAfter = backends.reduce((sum, pid) => sum + cpuOf(pid), 0);
  return { wall, node: (used.user + used.system) / 1e6, server: serverAfter - serverBefore, bytes: received - bytesBefore, report };
}

const round = (value: unknown): unknown =>
  typeof value === "number"
    ? Number(value.toPrecision(9))
    : Array.isArray(value)
      ? value.map(round)
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "dataIssues" ? null : round(v)]))
        : value;

try {
  const store = await postgresStore({ pool, tablePrefix: PREFIX, analysisTimeoutMs: 3_600_000, statementTimeoutMs: 600_000 });
  await seed(store);
  const now = END.getTime();
  const streaming = { read: store.read.bind(store), stats: store.stats.bind(store) };
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; ${runs} alternated runs per path, medians`,
  );
  console.log("decisions | SQL wall s | stream wall s | wall ratio | SQL CPU s (Node + server) | stream CPU s (Node + server) | CPU ratio | bytes to Node SQL | stream | bytes ratio");
  for (const size of sizes) {
    await growTo(size);
    const sql: Sample[] = [],
      stream: Sample[] = [];
    // Warm the caches once (not counted), then alternate.
    await store.analyze!({ now });
    for (let i = 0; i < runs; i++) {
      sql.push(await measure(() => store.analyze!({ now })));
      stream.push(await measure(() => analyzeStore(streaming, { now })));
    }
    const [a, b] = [JSON.stringify(round(sql[0]!.report), null, 1).split("\n"), JSON.stringify(round(stream[0]!.report), null, 1).split("\n")];
    const at = a.findIndex((line, i) => line !== b[i]);
    if (at >= 0)
      throw new Error(`the SQL and streaming reports differ at ${size} decisions: ${a.slice(Math.max(0, at - 5), at + 3).join(" ")} | stream: ${b.slice(Math.max(0, at - 5), at + 3).join(" ")}`);
    if (sql[0]!.report.overall.decisions !== size) throw new Error(`expected ${size} decisions, the report has ${sql[0]!.report.overall.decisions}`);
    const pick = (samples: Sample[], key: "wall" | "bytes") => median(samples.map((s) => s[key]));
    const cpu = (samples: Sample[]) => median(samples.map((s) => s.node + s.server));
    const cpuText = (samples: Sample[]) => `${cpu(samples).toFixed(1)} (${median(samples.map((s) => s.node)).toFixed(1)} + ${median(samples.map((s) => s.server)).toFixed(1)})`;
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
    console.log(
      [
        size.toLocaleString("en"),
        pick(sql, "wall").toFixed(1),
        pick(stream, "wall").toFixed(1),
        `${(pick(sql, "wall") / pick(stream, "wall")).toFixed(2)}x`,
        cpuText(sql),
        cpuText(stream),
        `${(cpu(sql) / cpu(stream)).toFixed(2)}x`,
        mb(pick(sql, "bytes")),
        mb(pick(stream, "bytes")),
        `${(pick(sql, "bytes") / pick(stream, "bytes")).toExponential(2)}x`,
      ].join(" | "),
    );
  }
  console.log(
    `load average after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  await store.close();
} finally {
  await admin.end();
  await pool.end();
  await server.stop();
}
