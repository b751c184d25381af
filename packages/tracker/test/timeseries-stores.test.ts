import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateSampleRecords,
  jsonlStore,
  postgresStore,
  timeSeriesJsonl,
  timeSeriesStore,
  type DecisionRecord,
  type EventStore,
  type LogRecord,
  type TimeSeries,
  type TimeSeriesOptions,
} from "../src/index.js";
import { outcomeJudgementRows } from "../../../tools/test-support/outcome-judgements.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "./support/postgres.js";

const END = new Date("2026-11-20T12:34:56.789Z");
const dir = mkdtempSync(join(tmpdir(), "moe-timeseries-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sample traffic over two days, plus decisions whose layers error in odd ways, and a corrected outcome. */
function records(): LogRecord[] {
  const all = [...generateSampleRecords({ count: 3_000, seed: 7, days: 2, end: END })];
  const odd = (id: string, minutesAgo: number, error: unknown): DecisionRecord => ({
    schema_version: 1,
    record_type: "decision",
    event_id: id,
    timestamp: new Date(END.getTime() - minutesAgo * 60_000).toISOString(),
    task_description: "odd",
    selected_master: "coordinator-master",
    routing_layer: "clarification",
    confidence: 1,
    layer_attempts: [{ layer_name: "keyword", success: false, latency_ms: 0.5, error } as DecisionRecord["layer_attempts"][number], { layer_name: "late", success: false, shadow: true }],
    total_latency_ms: 2,
  });
  all.push(odd("odd-1", 30, { code: "MOE_LAYER_FAILED", message: "x" }), odd("odd-2", 31, "boom"), odd("odd-3", 32, ""), odd("odd-4", 33, 0), odd("odd-5", 34, null));
  // Fields the readers drop (a latency over a day, a negative one) and a decision they drop whole.
  const slow = odd("odd-6", 35, null),
    negative = odd("odd-7", 36, null),
    broken = odd("odd-8", 37, null);
  slow.total_latency_ms = 90_000_000;
  slow.layer_attempts[0]!.latency_ms = 90_000_000;
  negative.layer_attempts[0]!.latency_ms = -3;
  (broken.layer_attempts as unknown[]).push({ success: true });
  all.push(slow, negative, broken);
  // A second outcome for an early decision: the newest wins in every store.
  const first = all.find((r) => r.record_type === "decision")!;
  all.push({
    schema_version: 1,
    record_type: "outcome",
    event_id: first.event_id,
    timestamp: END.toISOString(),
    outcome: { task_completed: false, was_correct_master: false, user_corrected_to: "cicd-master" },
  });
  // Every row of the outcome-judgement table, so the SQL form of the rule is held to the same table.
  outcomeJudgementRows().forEach((row, index) => {
    const at = new Date(END.getTime() - (40 + index) * 60_000).toISOString();
    const id = `judgement-${index}`;
    all.push({ ...odd(id, 40 + index, null), selected_master: row.selected, routing_layer: "keyword", confidence: 0.9, timestamp: at });
    if (row.outcome) all.push({ schema_version: 1, record_type: "outcome", event_id: id, timestamp: at, outcome: row.outcome });
  });
  return all;
}

const LATENCY_KEYS = new Set(["p95", "p95Low", "p95High"]);

/** Equal, latency order statistics of `expected` (JSONL) within 0.5 % of the exact ones in `actual` (SQL). */
function expectSameSeries(actual: unknown, expected: unknown, path = "series"): void {
  if (actual !== null && expected !== null && typeof actual === "object" && typeof expected === "object") {
    expect(Object.keys(actual), path).toEqual(Object.keys(expected));
    for (const key of Object.keys(expected)) {
      const a = (actual as Record<string, unknown>)[key],
        e = (expected as Record<string, unknown>)[key];
      if (LATENCY_KEYS.has(key) && typeof a === "number" && typeof e === "number") expect(Math.abs(a - e), `${path}.${key}`).toBeLessThanOrEqual(0.005 * a + 1e-12);
      else expectSameSeries(a, e, `${path}.${key}`);
    }
    return;
  }
  expect(actual, path).toEqual(expected);
}

const withoutClock = (series: TimeSeries) => ({ ...series, generatedAt: "", skipped: 0 });

const CASES: [string, TimeSeriesOptions][] = [
  ["hourly, two days", { by: "hour", windowHours: 48, now: END }],
  ["by minute, last 3 hours", { by: "minute", windowHours: 3, now: END }],
  ["daily, whole log", { by: "day" }],
  ["auto, whole log", { by: "auto" }],
  ["one 24 h bucket from a given start, layer filter", { by: 24 * 3_600_000, since: END.getTime() - 24 * 3_600_000, until: END.getTime(), layer: "semantic" }],
];

describe("time series over JSONL, its cache and the store reader", () => {
  const path = join(dir, "events.jsonl");
  let store: EventStore;
  beforeAll(() => {
    writeFileSync(
      path,
      records()
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    );
    store = jsonlStore({ path });
  });
  afterAll(() => store.close());

  it.each(CASES)("gives the same series from the cache (cold and warm) and from the reader: %s", async (_name, options) => {
    const fromReader = await timeSeriesStore(store, options);
    expect(fromReader.buckets.some((b) => b.decisions > 0)).toBe(true);
    const cold = await timeSeriesJsonl(path, options);
    const warm = await timeSeriesJsonl(path, options);
    const uncached = await timeSeriesJsonl(path, { ...options, cache: false });
    // Same histograms either way: exactly equal, not just within the tolerance.
    expect(withoutClock(cold)).toEqual(withoutClock(fromReader));
    expect(withoutClock(warm)).toEqual(withoutClock(fromReader));
    expect(withoutClock(uncached)).toEqual(withoutClock(fromReader));
  });

  it("counts what the readers keep: any error but null, latencies within a day, no broken decision", async () => {
    const series = await timeSeriesStore(store, { by: "hour", windowHours: 1, now: END });
    const keyword = series.buckets.reduce((sum, b) => sum + b.layers.keyword!.errors, 0);
    // {code}, "boom", "" and 0 are errors (the reader turns the unreadable ones into code "unknown"); null is not.
    expect(keyword).toBe(4);
    const odd = series.buckets.find((b) => b.start === "2026-11-20T11:00:00.000Z")!;
    // Every decision has a total latency but odd-6 (over a day: dropped); odd-8 is no decision at all.
    expect(odd.latencyMs.count).toBe(odd.decisions - 1);
    expect(series.buckets.flatMap((b) => Object.keys(b.experts)).length).toBeGreaterThan(0);
  });
});

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL time-series test: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("time series computed in PostgreSQL", () => {
  let server: PostgresServer | undefined;
  let pg: EventStore;
  let jsonl: EventStore;
  beforeAll(async () => {
    server = await startPostgres();
    pg = await postgresStore({ connectionString: server.url, tablePrefix: `series_${process.pid}` });
    const path = join(dir, "pg-twin.jsonl");
    jsonl = jsonlStore({ path });
    for (const record of records()) {
      pg.append(record);
      jsonl.append(record);
    }
    await Promise.all([pg.flush(), jsonl.flush()]);
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
    await jsonl?.close();
    await server?.stop();
  });

  it("offers timeSeries on the store (so nothing streams every row)", () => {
    expect(typeof pg.timeSeries).toBe("function");
    expect(jsonl.timeSeries).toBeUndefined();
  });

  it.each(CASES)("gives the JSONL reader's series from SQL, latencies within 0.5 %%: %s", async (_name, options) => {
    const fromSql = await timeSeriesStore(pg, options);
    const fromJsonl = await timeSeriesStore(jsonl, options);
    expect(fromSql.buckets.length).toBeGreaterThan(0);
    expectSameSeries(withoutClock(fromSql), withoutClock(fromJsonl));
  });
});
