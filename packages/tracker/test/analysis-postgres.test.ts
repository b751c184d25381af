import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "@moe-router/core";
import {
  analyzeJsonl,
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
import { postgresUnavailable, startPostgres, type PostgresServer } from "./support/postgres.js";
import { rounded } from "./support/rounded.js";

const END = new Date("2026-11-20T12:00:00.000Z");
const NOW = END.getTime() + 60_000;
const dir = mkdtempSync(join(tmpdir(), "moe-analysis-pg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minutesAgo = (minutes: number) => new Date(END.getTime() - minutes * 60_000).toISOString();

function decision(id: string, minutes: number, fields: Record<string, unknown> = {}): DecisionRecord {
  return {
    schema_version: 1,
    record_type: "decision",
    event_id: id,
    timestamp: minutesAgo(minutes),
    task_description: "edge case",
    selected_master: "security-master",
    routing_layer: "keyword",
    confidence: 0.9,
    layer_attempts: [{ layer_name: "keyword", selected_master: "security-master", confidence: 0.9, success: true, latency_ms: 0.4 }],
    total_latency_ms: 0.5,
    ...fields,
  };
}

function outcome(id: string, minutes: number, fields: Record<string, unknown>): OutcomeRecord {
  return { schema_version: 1, record_type: "outcome", event_id: id, timestamp: minutesAgo(minutes), outcome: { task_completed: true, ...fields } };
}

/**
 * Sample traffic over three days (shadow attempts, an A/B experiment, clarifications, errors),
 * plus the cases the readers must agree on: duplicates, corrected and re-recorded outcomes,
 * malformed decisions and fields, odd latencies, a layer seen only in shadow.
 */
function records(): LogRecord[] {
  const all: LogRecord[] = [...generateSampleRecords({ count: 4_000, seed: 11, days: 3, end: END, shadowShare: 0.3, experimentShare: 0.3 })];
  const firstDecision = all.find((r) => r.record_type === "decision")!;
  const edge: LogRecord[] = [
    // A decision written twice (a retried batch): counted once.
    decision("dup", 10),
    decision("dup", 10),
    // Re-recorded outcomes: the newest wins; a correction to another expert, one naming the routed expert.
    decision("again", 20),
    outcome("again", 19, { was_correct_master: true }),
    outcome("again", 18, { was_correct_master: false, user_corrected_to: "cicd-master" }),
    outcome(firstDecision.event_id, 1, { was_correct_master: false, user_corrected_to: "documentation-master", quality_score: 0.2 }),
    decision("self-correct", 21),
    outcome("self-correct", 20, { user_corrected_to: "security-master" }),
    decision("empty-correct", 22),
    outcome("empty-correct", 21, { user_corrected_to: "", was_correct_master: false }),
    // Prototype-style completion and fields the readers drop.
    decision("status", 23),
    outcome("status", 22, { task_completed: undefined, task_status: "completed", completion_time_minutes: 1e308, quality_score: 5 }),
    decision("bad-outcome", 24),
    outcome("bad-outcome", 23, { was_correct_master: "yes", user_corrected_to: 7, completion_time_minutes: -1 }),
    decision("not-an-outcome", 25),
    { ...outcome("not-an-outcome", 24, {}), outcome: "done" } as unknown as OutcomeRecord,
    decision("bad-fields", 26, {
      confidence: "high",
      task_description: null,
      total_latency_ms: -3,
      shadow: "no",
      ab_test: null,
      layer_attempts: [
        { layer_name: "keyword", selected_master: 5, confidence: 1.5, success: "yes", latency_ms: 9e7, error: "boom", shadow: "x" },
        { layer_name: "semantic", selected_master: null, confidence: null, success: null, latency_ms: 2, error: null },
        { layer_name: "semantic", selected_master: "security-master", confidence: 0.7, success: true, latency_ms: 3, error: { message: "no code" } },
      ],
    }),
    decision("clarified", 27, { routing_layer: "clarification", clarification: { reason: "ambiguous", candidates: ["zeta-master", "alpha-master", "x"] } }),
    decision("clarified-2", 28, { routing_layer: "clarification", clarification: { reason: "ambiguous", candidates: [1, 2] } }),
    decision("clarified-3", 29, { routing_layer: "clarification", clarification: null }),
    decision("clarified-4", 30, { routing_layer: "clarification", clarification: { reason: 4 } }),
    decision("other-variant", 31, { ab_test: { experiment: "colour", variant: "blue" } }),
    decision("fast", 32, { total_latency_ms: 0.0001, layer_attempts: [{ layer_name: "keyword", success: true, selected_master: "security-master", confidence: 1, latency_ms: 0 }] }),
    decision("shadow-only", 33, {
      layer_attempts: [
        { layer_name: "keyword", selected_master: "security-master", confidence: 0.9, success: true, latency_ms: 0.4 },
        { layer_name: "oracle", selected_master: "cicd-master", confidence: 0.4, success: false, shadow: true },
      ],
    }),
    outcome("shadow-only", 32, { was_correct_master: false, user_corrected_to: "cicd-master" }),
    // Malformed decisions the store holds but no reader uses.
    decision("bad-expert", 40, { selected_master: 5 }),
    decision("bad-attempts", 41, { layer_attempts: { keyword: true } }),
    decision("bad-attempt", 42, { layer_attempts: [{ success: true }] }),
    decision("bad-layer", 43, { routing_layer: ["keyword"] }),
    // Old, outside a one-day window.
    decision("old", 3 * 24 * 60 + 5),
    outcome("old", 10, { was_correct_master: true }),
  ];
  return [...all, ...edge];
}

/** The JSONL reader counts the duplicate it skipped; PostgreSQL refused it at write time. */
const withoutDuplicates = (report: AnalysisReport): unknown => rounded({ ...report, dataIssues: { ...report.dataIssues, duplicates: 0 } });

const CASES: [string, AnalyzerOptions][] = [
  ["the whole log", {}],
  ["the last 24 hours", { windowHours: 24 }],
  ["layer keyword", { layer: "keyword" }],
  ["layer semantic, 48 hours, 7 bins", { layer: "semantic", windowHours: 48, calibrationBins: 7 }],
  ["clarifications", { layer: "clarification" }],
  ["a layer seen only in shadow", { layer: "oracle" }],
  ["generated sample data left out", { synthetic: "exclude" }],
  ["sample data left out, layer keyword, 24 hours", { synthetic: "exclude", layer: "keyword", windowHours: 24 }],
  ["an empty window", { windowHours: 1, now: END.getTime() + 10 * 86_400_000 }],
];

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL analysis test: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("analysis computed in PostgreSQL", () => {
  let server: PostgresServer | undefined;
  let pg: EventStore;
  const path = join(dir, "twin.jsonl");
  let url = "";
  const prefix = `analysis_${process.pid}`;
  beforeAll(async () => {
    server = await startPostgres();
    url = server.url;
    pg = await postgresStore({ connectionString: url, tablePrefix: prefix });
    const jsonl = jsonlStore({ path });
    for (const record of records()) {
      pg.append(record);
      jsonl.append(record);
    }
    await pg.flush();
    await jsonl.flush();
    await jsonl.close();
  }, 90_000);
  afterAll(async () => {
    await pg?.close();
    await server?.stop();
  });

  /** The streaming peer: the same store, read row by row (a fresh store, so its read counts start at 0). */
  async function streamed(options: AnalyzerOptions): Promise<AnalysisReport> {
    const store = await postgresStore({ connectionString: url, tablePrefix: prefix });
    try {
      return await analyzeStore({ read: (range) => store.read(range), stats: () => store.stats() }, options);
    } finally {
      await store.close();
    }
  }

  async function fromJsonl(options: AnalyzerOptions): Promise<AnalysisReport> {
    const store = jsonlStore({ path });
    try {
      return await analyzeStore(store, options);
    } finally {
      await store.close();
    }
  }

  it("offers analyze on the store, and analyzeStore uses it", async () => {
    expect(typeof pg.analyze).toBe("function");
    const calls: AnalyzerOptions[] = [];
    const report = await analyzeStore({ read: () => [], analyze: async (options) => (calls.push(options ?? {}), pg.analyze!(options)) }, { now: NOW });
    expect(calls).toHaveLength(1);
    expect(report.overall.decisions).toBeGreaterThan(4_000);
  });

  it.each(CASES)("gives the JSONL reader's report and the streaming path's from SQL: %s", async (_name, options) => {
    const settings = { now: NOW, ...options };
    const sql = await analyzeStore(pg, settings);
    const jsonl = await fromJsonl(settings);
    const stream = await streamed(settings);
    // The JSONL reader counts malformed outcomes anywhere in the log; SQL those recorded in the window.
    const issues = options.now === undefined ? (r: AnalysisReport) => r : (r: AnalysisReport) => ({ ...r, dataIssues: { ...sql.dataIssues } });
    expect(withoutDuplicates(sql)).toEqual(withoutDuplicates(issues(jsonl)));
    expect(withoutDuplicates(sql)).toEqual(withoutDuplicates(issues(await analyzeJsonl(path, settings))));
    // The streaming path ignores malformed outcomes and counts only the newest outcome's fields.
    expect(rounded(sql)).toEqual(rounded({ ...stream, dataIssues: sql.dataIssues }));
  });

  it("counts the malformed records and fields it left out, and the edge cases as the analyzer does", async () => {
    const report = await analyzeStore(pg, { now: NOW });
    // bad-expert, bad-attempts, bad-attempt, bad-layer and the outcome "done".
    expect(report.dataIssues.invalidRecords).toBe(5);
    expect(report.dataIssues.invalidFields).toBeGreaterThanOrEqual(20);
    expect(report.dataIssues.duplicates).toBe(0);
    // Sample records are marked synthetic: left out (and counted apart) on request, the edge cases kept.
    const real = await analyzeStore(pg, { now: NOW, synthetic: "exclude" });
    expect(real.syntheticExcluded).toBeGreaterThan(3_000);
    expect(real.overall.decisions).toBe(report.overall.decisions - real.syntheticExcluded);
    expect(report.experiments.map((e) => e.experiment)).toContain("colour");
    const oracle = report.layers.find((l) => l.layer === "oracle")!;
    expect(oracle).toMatchObject({ attempts: 0, shadowAttempts: 1 });
    expect(oracle.shadowCalibration?.samples).toBe(1);
    expect(report.corrections.matrix["security-master"]?.["cicd-master"]).toBeGreaterThanOrEqual(2);
  });

  it("refuses bad options with the analyzer's coded errors", async () => {
    await expect(analyzeStore(pg, { windowHours: -1 })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
    await expect(analyzeStore(pg, { colour: "red" } as AnalyzerOptions)).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_OPTION });
  });
});
