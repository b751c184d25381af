/**
 * Sample data kept apart (issue 13): every reader of the tracker leaves generated sample
 * decisions (`synthetic: true`) out when asked to (`synthetic: "exclude"`), and the result is the
 * analysis of the real decisions alone: JSONL through the store's reader, in parallel parts,
 * through the analysis cache, and PostgreSQL; the time series the same way.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyzeEvents,
  analyzeJsonlDetailed,
  analyzeStore,
  createTimeSeriesAccumulator,
  generateSampleRecords,
  jsonlStore,
  postgresStore,
  timeSeriesJsonl,
  timeSeriesStore,
  type AnalysisReport,
  type EventStore,
  type LogRecord,
  type TimeSeries,
} from "../src/index.js";
import { analyzeJsonlWith } from "../src/analysis/analyze-jsonl.js";
import { inThread } from "../src/analysis/internal/worker-pool.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "./support/postgres.js";

const END = new Date("2026-11-20T12:00:00.000Z");
const NOW = END.getTime() + 60_000;
const dir = mkdtempSync(join(tmpdir(), "moe-synthetic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Real traffic: sample records with the mark taken off and ids of their own. */
const real: LogRecord[] = [...generateSampleRecords({ count: 1200, seed: 11, days: 3, end: END })].map((record) => {
  const { synthetic: _mark, ...rest } = record;
  return { ...rest, event_id: `real-${record.event_id}` };
});
const samples: LogRecord[] = [...generateSampleRecords({ count: 900, seed: 12, days: 3, end: END })];
/** Both interleaved by time, as `moe-router generate --store <the real log>` leaves them. */
const mixed: LogRecord[] = [...real, ...samples].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));

function writeLog(name: string, records: readonly LogRecord[]): string {
  const path = join(dir, name);
  writeFileSync(path, "");
  appendFileSync(path, records.map((record) => `${JSON.stringify(record)}\n`).join(""));
  return path;
}

const realPath = writeLog("real.jsonl", real);

/** The figures that must not change; the counters of what was left out are compared apart. */
function figures(report: AnalysisReport): unknown {
  const round = (value: unknown): unknown =>
    typeof value === "number"
      ? Number(value.toPrecision(10))
      : Array.isArray(value)
        ? value.map(round)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]))
          : value;
  const { generatedAt: _at, skipped: _skipped, syntheticExcluded: _excluded, ...rest } = report as AnalysisReport & { generatedAt?: string };
  return round(rest);
}

const series = (value: TimeSeries) => ({ ...value, generatedAt: "" });

let expected: AnalysisReport;
beforeAll(async () => {
  expected = (await analyzeJsonlDetailed(realPath, { now: NOW, workers: 1, cache: false })).report;
  expect(expected.overall.decisions).toBe(1200);
});

describe("analysis leaves synthetic decisions out when asked, on every JSONL path", () => {
  it("in memory (analyzeEvents): exclude gives the real-only report and counts what it left out; include and the default count everything", async () => {
    const decisions = mixed.filter((record) => record.record_type === "decision");
    const excluded = await analyzeEvents(jsonlEvents(mixed), { now: NOW, synthetic: "exclude" });
    expect(excluded.syntheticExcluded).toBe(900);
    expect(figures(excluded)).toEqual(figures(expected));
    for (const options of [{ synthetic: "include" as const }, {}]) {
      const all = await analyzeEvents(jsonlEvents(mixed), { now: NOW, ...options });
      expect(all.overall.decisions).toBe(decisions.length);
      expect(all.syntheticExcluded).toBe(0);
    }
    await expect(analyzeEvents([], { synthetic: "no" as never })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });

  it("through the store's reader, in parallel parts, and through the cache (built, then read)", async () => {
    const path = writeLog("mixed.jsonl", mixed);
    const sequential = await analyzeJsonlDetailed(path, { now: NOW, workers: 1, cache: false, synthetic: "exclude" });
    expect(sequential.report.syntheticExcluded).toBe(900);
    expect(figures(sequential.report)).toEqual(figures(expected));
    for (const parts of [2, 5]) {
      const { report, workers } = await analyzeJsonlWith(path, { now: NOW, workers: parts, readChunkBytes: 4096, cache: false, synthetic: "exclude" }, () => inThread);
      expect(workers).toBe(parts);
      expect(report.syntheticExcluded).toBe(900);
      expect(figures(report)).toEqual(figures(expected));
    }
    for (const pass of ["rebuilt", "warm"] as const) {
      const cached = await analyzeJsonlDetailed(path, { now: NOW, workers: 1, synthetic: "exclude" });
      expect(cached.cache, pass).toMatchObject({ [pass]: 1 });
      expect(cached.report.syntheticExcluded, pass).toBe(900);
      expect(figures(cached.report), pass).toEqual(figures(expected));
      // The cache keeps the mark: asked to include, it counts every decision.
      const all = await analyzeJsonlDetailed(path, { now: NOW, workers: 1, synthetic: "include" });
      expect(all.cache, pass).toMatchObject({ warm: 1 });
      expect(all.report.overall.decisions, pass).toBe(2100);
    }
  });

  it("only counts left-out synthetic decisions inside the window and the layer filter", async () => {
    const path = writeLog("windowed.jsonl", mixed);
    const report = (await analyzeJsonlDetailed(path, { now: NOW, windowHours: 24, synthetic: "exclude", cache: false })).report;
    const inWindow = samples.filter((r) => r.record_type === "decision" && Date.parse(r.timestamp) >= NOW - 24 * 3_600_000).length;
    expect(inWindow).toBeGreaterThan(0);
    expect(inWindow).toBeLessThan(900);
    expect(report.syntheticExcluded).toBe(inWindow);
  });
});

describe("time series leave synthetic decisions out when asked", () => {
  it("from the cache, without it, and from a stream: the real-only series", async () => {
    const path = writeLog("series.jsonl", mixed);
    const options = { by: "hour" as const, since: END.getTime() - 3 * 86_400_000, until: NOW, now: NOW };
    const want = series(await timeSeriesJsonl(realPath, { ...options, cache: false }));
    expect(want.buckets.reduce((sum, bucket) => sum + bucket.decisions, 0)).toBe(1200);
    expect(series(await timeSeriesJsonl(path, { ...options, cache: false, synthetic: "exclude" }))).toEqual(want);
    for (let pass = 0; pass < 2; pass++) expect(series(await timeSeriesJsonl(path, { ...options, synthetic: "exclude" }))).toEqual(want);
    const all = await timeSeriesJsonl(path, { ...options, synthetic: "include" });
    expect(all.buckets.reduce((sum, bucket) => sum + bucket.decisions, 0)).toBe(2100);
    const accumulator = createTimeSeriesAccumulator({ ...options, synthetic: "exclude" });
    for await (const event of jsonlEvents(mixed)) accumulator.add(event);
    expect(series(accumulator.result())).toEqual(want);
    expect(() => createTimeSeriesAccumulator({ synthetic: true as never })).toThrow(/synthetic must be "include" or "exclude"/);
  });
});

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL synthetic test: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("PostgreSQL: analysis and time series leave synthetic decisions out when asked", () => {
  let server: PostgresServer | undefined;
  let pg: EventStore;
  beforeAll(async () => {
    server = await startPostgres();
    pg = await postgresStore({ connectionString: server.url, tablePrefix: `synthetic_${process.pid}` });
    for (const record of mixed) pg.append(record);
    await pg.flush();
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
    await server?.stop();
  });

  it("analyzeStore: the real-only report, the synthetic ones counted", async () => {
    const report = await analyzeStore(pg, { now: NOW, synthetic: "exclude" });
    expect(report.syntheticExcluded).toBe(900);
    expect(figures(report)).toEqual(figures(expected));
    expect((await analyzeStore(pg, { now: NOW })).overall.decisions).toBe(2100);
  });

  it("timeSeries in SQL: the real-only series, auto range included", async () => {
    const store = jsonlStore({ path: realPath });
    try {
      for (const options of [
        { by: "hour" as const, since: END.getTime() - 3 * 86_400_000, until: NOW, now: NOW },
        { by: "auto" as const, now: NOW },
      ]) {
        const fromSql = series(await timeSeriesStore(pg, { ...options, synthetic: "exclude" }));
        const fromReal = series(await timeSeriesStore(store, options));
        expect(fromSql.by).toBe(fromReal.by);
        expect(fromSql.buckets.map((b) => [b.start, b.decisions, b.accuracy.judged, b.clarifications])).toEqual(
          fromReal.buckets.map((b) => [b.start, b.decisions, b.accuracy.judged, b.clarifications]),
        );
      }
      const all = await timeSeriesStore(pg, { by: "day", since: END.getTime() - 3 * 86_400_000, until: NOW, now: NOW });
      expect(all.buckets.reduce((sum, bucket) => sum + bucket.decisions, 0)).toBe(2100);
    } finally {
      await store.close();
    }
  });
});

/** The mixed log as a reader would yield it: decisions with their latest outcome joined. */
async function* jsonlEvents(records: readonly LogRecord[]) {
  const path = writeLog(`events-${Math.random().toString(36).slice(2)}.jsonl`, records);
  const store = jsonlStore({ path });
  try {
    yield* store.read();
  } finally {
    await store.close();
  }
}
