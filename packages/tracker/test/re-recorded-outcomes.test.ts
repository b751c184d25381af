/**
 * A second (or third) outcome for the same event (issue 13): every record stays in the log, the
 * latest one is in force, and `analyze` counts the records that re-recorded an outcome in
 * `reRecordedOutcomes` — the same count on every path (the store's reverse join, parallel
 * parts, the analysis cache cold, warm and extended, in memory, PostgreSQL in SQL and streamed), only inside the
 * analysed window and filters.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyzeEvents,
  analyzeJsonlDetailed,
  analyzeStore,
  generateSampleRecords,
  jsonlStore,
  postgresStore,
  type AnalysisReport,
  type AnalyzerOptions,
  type DecisionRecord,
  type EventStore,
  type LogRecord,
  type OutcomeRecord,
} from "../src/index.js";
import { analyzeJsonlWith } from "../src/analysis/analyze-jsonl.js";
import { inThread } from "../src/analysis/internal/worker-pool.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "./support/postgres.js";
import { rounded } from "./support/rounded.js";

const END = new Date("2026-11-20T12:00:00.000Z");
const NOW = END.getTime() + 60_000;
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), "moe-rerecord-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Real-looking traffic: sample records without the synthetic mark. */
const base: LogRecord[] = [...generateSampleRecords({ count: 800, seed: 21, days: 3, end: END })].map((record) => {
  const { synthetic: _mark, ...rest } = record;
  return rest;
});
const answered = new Set(base.filter((r) => r.record_type === "outcome").map((r) => r.event_id));
/** Decisions without an outcome of their own, oldest first. */
const bare = base.filter((r): r is DecisionRecord => r.record_type === "decision" && !answered.has(r.event_id));
const pick = (fraction: number): DecisionRecord => bare[Math.floor(fraction * (bare.length - 1))]!;

const old = pick(0.05); // ~3 days old: outside a 24 h window
const middle = pick(0.4);
const recent = pick(0.9); // inside a 24 h window
const sample = pick(0.95); // marked synthetic below
const other = (expert: string): string => (expert === "backend" ? "frontend" : "backend");

function outcome(decision: DecisionRecord, minutesAfter: number, fields: Partial<OutcomeRecord["outcome"]>): OutcomeRecord {
  return {
    schema_version: decision.schema_version,
    record_type: "outcome",
    event_id: decision.event_id,
    timestamp: new Date(Date.parse(decision.timestamp) + minutesAfter * 60_000).toISOString(),
    outcome: { task_completed: true, task_status: "completed", ...fields },
  };
}

/** Inserts `record` right after the line at `index`. */
function after(records: LogRecord[], id: string, extra: readonly LogRecord[]): void {
  const at = records.findIndex((r) => r.record_type === "decision" && r.event_id === id);
  records.splice(at + 1, 0, ...extra);
}

/** The log: re-recorded outcomes next to their decision, in the middle of the log and at its end (other parts). */
function buildLog(): LogRecord[] {
  const records = base.map((r) => (r.record_type === "decision" && r.event_id === sample.event_id ? { ...r, synthetic: true } : r));
  after(records, old.event_id, [outcome(old, 5, { was_correct_master: true })]);
  after(records, middle.event_id, [outcome(middle, 5, { was_correct_master: true, quality_score: 0.9 })]);
  after(records, recent.event_id, [outcome(recent, 5, { was_correct_master: true })]);
  after(records, sample.event_id, [outcome(sample, 5, { was_correct_master: true })]);
  // Halfway through the log: the middle decision's second report.
  records.splice(Math.floor(records.length * 0.7), 0, outcome(middle, 60, { task_completed: false, task_status: "failed", was_correct_master: false }));
  records.push(
    outcome(old, 90, { was_correct_master: false, user_corrected_to: other(old.selected_master) }),
    outcome(middle, 120, { was_correct_master: false, user_corrected_to: other(middle.selected_master), quality_score: 0.2 }),
    // The later one corrected: this is the outcome in force.
    outcome(recent, 30, { was_correct_master: false, user_corrected_to: other(recent.selected_master) }),
    outcome(sample, 30, { was_correct_master: false }),
    outcome(sample, 40, { was_correct_master: false, user_corrected_to: other(sample.selected_master) }),
  );
  return records;
}

const records = buildLog();

/** The same log with only the latest outcome of each event: what the analysis must amount to. */
function latestOnly(log: readonly LogRecord[]): LogRecord[] {
  const seen = new Set<string>();
  const kept: LogRecord[] = [];
  for (let i = log.length - 1; i >= 0; i--) {
    const record = log[i]!;
    if (record.record_type === "outcome") {
      if (seen.has(record.event_id)) continue;
      seen.add(record.event_id);
    }
    kept.push(record);
  }
  return kept.reverse();
}

function writeLog(name: string, log: readonly LogRecord[]): string {
  const path = join(dir, name);
  writeFileSync(path, log.map((record) => `${JSON.stringify(record)}\n`).join(""));
  return path;
}

/** Every figure but the counters that differ between the two logs by construction. */
function figures(report: AnalysisReport): unknown {
  // `skipped` depends on whether the reader filters the window before the analyzer (as in synthetic.test.ts).
  const { generatedAt: _at, reRecordedOutcomes: _count, skipped: _skipped, ...rest } = report;
  return rounded(rest);
}

// Expected counts, by hand: old 1 (2 records), middle 2 (3 records), recent 1 (2), sample 2 (3).
const ALL = 1 + 2 + 1 + 2;
const CASES: { name: string; options: AnalyzerOptions; count: number }[] = [
  { name: "whole log", options: {}, count: ALL },
  { name: "last 24 h", options: { windowHours: 24 }, count: 1 + 2 },
  { name: "synthetic left out", options: { synthetic: "exclude" }, count: ALL - 2 },
  { name: "last 24 h, synthetic left out", options: { windowHours: 24, synthetic: "exclude" }, count: 1 },
];

const path = writeLog("re-recorded.jsonl", records);
const latestPath = writeLog("latest-only.jsonl", latestOnly(records));

async function sequential(file: string, options: AnalyzerOptions): Promise<AnalysisReport> {
  return (await analyzeJsonlDetailed(file, { now: NOW, ...options, workers: 1, cache: false })).report;
}

const want = new Map<string, AnalysisReport>();
beforeAll(async () => {
  expect(Date.parse(old.timestamp)).toBeLessThan(NOW - 24 * HOUR);
  expect(Date.parse(recent.timestamp)).toBeGreaterThanOrEqual(NOW - 24 * HOUR);
  expect(Date.parse(sample.timestamp)).toBeGreaterThanOrEqual(NOW - 24 * HOUR);
  expect(Date.parse(middle.timestamp)).toBeLessThan(NOW - 24 * HOUR);
  for (const { name, options } of CASES) want.set(name, await sequential(latestPath, options));
});

function check(report: AnalysisReport, name: string, count: number, label: string): void {
  expect(report.reRecordedOutcomes, `${label}: ${name}`).toBe(count);
  // The latest outcome wins: the same figures as the log that holds only the latest ones.
  expect(figures(report), `${label}: ${name}`).toEqual(figures(want.get(name)!));
}

describe("re-recorded outcomes: the latest wins, every record is counted once, on every path", () => {
  it("the log without superseded outcomes counts none, and the latest outcome is what the report says", async () => {
    for (const { name } of CASES) expect(want.get(name)!.reRecordedOutcomes, name).toBe(0);
    const report = await sequential(path, {});
    // recent was first reported right, then corrected: the correction is in force.
    expect(report.corrections.matrix[recent.selected_master]?.[other(recent.selected_master)]).toBeGreaterThanOrEqual(1);
    const first = await sequential(
      writeLog(
        "no-corrections.jsonl",
        records.filter((r) => !(r.record_type === "outcome" && r.outcome.user_corrected_to !== undefined && [old, middle, recent, sample].some((d) => d.event_id === r.event_id))),
      ),
      {},
    );
    expect(report.corrections.total - first.corrections.total).toBe(4);
    expect(report.overall.withOutcome).toBe(first.overall.withOutcome);
  });

  it("the store's reverse join (analyzeStore on jsonlStore) and in memory (analyzeEvents)", async () => {
    for (const { name, options, count } of CASES) {
      check(await sequential(path, options), name, count, "sequential");
      const store = jsonlStore({ path });
      try {
        const events = [];
        for await (const event of store.read()) events.push(event);
        check(await analyzeEvents(events, { now: NOW, ...options }), name, count, "in memory");
        // What a reader hands over: the count of records, the latest outcome.
        const merged = events.find((event) => event.event_id === middle.event_id)!;
        expect(merged.outcome_records).toBe(3);
        expect(merged.outcome?.quality_score).toBe(0.2);
        expect(events.find((event) => event.event_id === pick(0.5).event_id)?.outcome_records).toBeUndefined();
      } finally {
        await store.close();
      }
    }
  });

  it("a count written into a decision line is not taken from it", async () => {
    const forged = records.map((r) => (r.record_type === "decision" && r.event_id === pick(0.5).event_id ? { ...r, outcome: { task_completed: true }, outcome_records: 9 } : r));
    const file = writeLog("forged.jsonl", forged);
    expect((await sequential(file, {})).reRecordedOutcomes).toBe(ALL);
    expect((await analyzeJsonlDetailed(file, { now: NOW, workers: 1 })).report.reRecordedOutcomes).toBe(ALL);
  });

  it("in parallel parts (decisions and their outcomes in different parts)", async () => {
    for (const parts of [2, 3, 5]) {
      for (const { name, options, count } of CASES) {
        const { report, workers } = await analyzeJsonlWith(path, { now: NOW, ...options, workers: parts, readChunkBytes: 4096, cache: false }, () => inThread);
        expect(workers).toBe(parts);
        check({ ...report, dataIssues: want.get(name)!.dataIssues }, name, count, `${parts} parts`);
      }
    }
  });

  it("through the analysis cache: built, warm, then extended by an appended outcome", async () => {
    const file = writeLog("cached.jsonl", records);
    for (const pass of ["rebuilt", "warm"] as const) {
      for (const { name, options, count } of CASES) {
        const { report, cache } = await analyzeJsonlDetailed(file, { now: NOW, ...options, workers: 1 });
        expect(cache, pass).toBeDefined();
        if (pass === "warm" || name !== CASES[0]!.name) expect(cache).toMatchObject({ warm: 1 });
        else expect(cache).toMatchObject({ [pass]: 1 });
        check(report, name, count, `cache ${pass}`);
      }
    }
    // A third report for `recent`, appended: the extended cache counts it, and it is in force.
    appendFileSync(file, `${JSON.stringify(outcome(recent, 45, { was_correct_master: true }))}\n`);
    const { report, cache } = await analyzeJsonlDetailed(file, { now: NOW, windowHours: 24, workers: 1 });
    expect(cache).toMatchObject({ extended: 1 });
    expect(report.reRecordedOutcomes).toBe(1 + 2 + 1);
    const uncached = await sequential(file, { windowHours: 24 });
    expect(figures(report)).toEqual(figures(uncached));
    expect(uncached.reRecordedOutcomes).toBe(4);
    expect(report.corrections.total).toBe(want.get("last 24 h")!.corrections.total - 1);
  });
});

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL re-recorded outcomes test: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("PostgreSQL: re-recorded outcomes counted as in the log", () => {
  let server: PostgresServer | undefined;
  let pg: EventStore;
  beforeAll(async () => {
    server = await startPostgres();
    pg = await postgresStore({ connectionString: server.url, tablePrefix: `rerecord_${process.pid}` });
    for (const record of records) pg.append(record);
    await pg.flush();
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
    await server?.stop();
  });

  it("analyzeStore: same count and same figures, in every window and filter", async () => {
    for (const { name, options, count } of CASES) {
      const report = await analyzeStore(pg, { now: NOW, ...options });
      check({ ...report, dataIssues: want.get(name)!.dataIssues }, name, count, "PostgreSQL SQL");
      // Its read() streamed through the analyzer (what a store without analyze() gets).
      const streamed = await analyzeStore({ read: (range) => pg.read(range) }, { now: NOW, ...options });
      check({ ...streamed, dataIssues: want.get(name)!.dataIssues }, name, count, "PostgreSQL streamed");
    }
  });
});
