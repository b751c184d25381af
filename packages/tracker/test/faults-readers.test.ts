/**
 * Fault suite, readers: logs whose timestamps are out of order, decisions appended twice,
 * out-of-range values and malformed records. Every reader (the store's, the analysis cache,
 * the parallel part reader) must give the right counts and never throw.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeJsonlDetailed, jsonlStore, renderAnalysisText, renderHtmlReport, type AnalyzeJsonlOptions, type JsonlAnalysis, type LogRecord, type RoutingEvent } from "../src/index.js";
import { analyzeJsonlWith } from "../src/analysis/analyze-jsonl.js";
import { inThread } from "../src/analysis/internal/worker-pool.js";
import { decisionRecord, outcomeRecord } from "./support/records.js";

const dir = mkdtempSync(join(tmpdir(), "moe-faults-readers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const HOUR = 3_600_000;
const NOW = Date.now();
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR);

function logWith(lines: readonly (LogRecord | string)[]): string {
  const path = join(dir, `log-${files++}`, "events.jsonl");
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n") + "\n");
  return path;
}

async function readAll(path: string, since?: Date): Promise<{ events: RoutingEvent[]; stats: ReturnType<ReturnType<typeof jsonlStore>["stats"]> }> {
  const store = jsonlStore({ path });
  const events: RoutingEvent[] = [];
  for await (const event of store.read(since ? { since } : {})) events.push(event);
  const stats = store.stats();
  await store.close();
  return { events, stats };
}

/** The same analysis through every reader: cache (built, then warm), no cache, two parts in one thread. */
async function everyReader(path: string, options: AnalyzeJsonlOptions = {}): Promise<JsonlAnalysis[]> {
  const settings = { now: NOW, ...options };
  return [
    await analyzeJsonlDetailed(path, settings),
    await analyzeJsonlDetailed(path, settings),
    await analyzeJsonlDetailed(path, { ...settings, cache: false }),
    await analyzeJsonlWith(path, { ...settings, workers: 2, cache: false }, () => inThread),
  ];
}

describe("faults: windowed reads whatever the order of timestamps", () => {
  it("counts every in-window decision of a 2,000-event log with one 3-day-old line appended", async () => {
    const recent = Array.from({ length: 2_000 }, (_, i) => decisionRecord(at(12 - (i * 11) / 2_000)));
    const path = logWith([...recent, decisionRecord(at(72))]);
    const { events } = await readAll(path, at(24));
    expect(events).toHaveLength(2_000);
    for (const analysis of await everyReader(path, { windowHours: 24 })) expect(analysis.report.overall.decisions).toBe(2_000);
  });

  it("reads backfilled, skewed and prototype lines in the window wherever they sit in the file", async () => {
    const prototype = { event_id: "proto-late", timestamp: at(2).toISOString(), selected_master: "cicd-master", routing_method: "keyword", layer_attempts: [] };
    const lines: (LogRecord | string)[] = [
      decisionRecord(at(5)),
      decisionRecord(at(100)),
      decisionRecord(at(3)),
      decisionRecord(at(500)),
      JSON.stringify(prototype),
      decisionRecord(at(30)),
      decisionRecord(at(1)),
      decisionRecord(at(400)),
    ];
    const path = logWith(lines);
    const { events } = await readAll(path, at(24));
    expect(events).toHaveLength(4);
    for (const analysis of await everyReader(path, { windowHours: 24 })) expect(analysis.report.overall.decisions).toBe(4);
  });
});

describe("faults: a decision appended twice (a retried write) counts once", () => {
  it("de-duplicates by event id in read, recentEvents, get and every analysis reader", async () => {
    const decisions = Array.from({ length: 300 }, (_, i) => decisionRecord(at(10 - i / 100)));
    const outcomes = decisions.slice(0, 150).map((d) => outcomeRecord(d.event_id, at(0.5)));
    // The first 100 decisions written again, as a retry after a partial write does; outcomes come later.
    const path = logWith([...decisions, ...decisions.slice(0, 100), ...outcomes]);
    const { events, stats } = await readAll(path);
    expect(events).toHaveLength(300);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(300);
    expect(events.filter((e) => e.outcome).length).toBe(150);
    expect(stats.duplicates).toBe(100);
    const store = jsonlStore({ path });
    expect(await store.recentEvents(1_000)).toHaveLength(300);
    expect((await store.get(decisions[0]!.event_id))?.outcome?.task_completed).toBe(true);
    await store.close();
    for (const analysis of await everyReader(path)) {
      expect(analysis.report.overall.decisions).toBe(300);
      expect(analysis.report.overall.withOutcome).toBe(150);
      expect(analysis.counts.duplicates).toBe(100);
    }
  });
});

describe("faults: out-of-range values never enter means", () => {
  it("ignores quality 5, negative and 1e308 minutes, counting them as invalid fields", async () => {
    const decisions = Array.from({ length: 4 }, (_, i) => decisionRecord(at(3 + i)));
    const path = logWith([
      ...decisions,
      outcomeRecord(decisions[0]!.event_id, at(1), { quality_score: 5, completion_time_minutes: 10 }),
      outcomeRecord(decisions[1]!.event_id, at(1), { quality_score: 0.5, completion_time_minutes: -4 }),
      outcomeRecord(decisions[2]!.event_id, at(1), { quality_score: 0.5, completion_time_minutes: 1e308 }),
      outcomeRecord(decisions[3]!.event_id, at(1), { quality_score: Number.NaN, completion_time_minutes: 10 }),
    ]);
    for (const analysis of await everyReader(path)) {
      const overall = analysis.report.overall;
      expect(overall.meanQualityScore).toBe(0.5);
      expect(overall.meanCompletionMinutes).toBe(10);
      expect(overall.withOutcome).toBe(4);
      // NaN is written as null by JSON.stringify: absent, not invalid.
      expect(analysis.counts.invalidFields).toBe(3);
      expect(analysis.report.dataIssues).toEqual(analysis.counts);
      const text = renderAnalysisText(analysis.report, { color: false });
      expect(text).not.toMatch(/Infinity|NaN/);
    }
    const { events, stats } = await readAll(path);
    expect(stats.invalidFields).toBe(3);
    expect(events.find((e) => e.event_id === decisions[0]!.event_id)?.outcome?.quality_score).toBeUndefined();
  });
});

describe("faults: malformed records are skipped and counted, never fatal", () => {
  it("skips decisions whose layer_attempts hold null, numbers or strings, and repairs wrong-typed fields", async () => {
    const good = Array.from({ length: 5 }, (_, i) => decisionRecord(at(2 + i)));
    const broken = [null, 1, "keyword"].map((attempt, i) => ({ ...decisionRecord(at(1 + i)), layer_attempts: [attempt] }));
    const oddTypes = { ...decisionRecord(at(1)), confidence: "high", total_latency_ms: "slow", ab_test: "yes", clarification: 3 };
    oddTypes.layer_attempts = [{ layer_name: "keyword", selected_master: 42, confidence: "0.9", latency_ms: -1, success: "yes", error: "boom" } as never];
    const path = logWith([...good, ...broken.map((b) => JSON.stringify(b)), JSON.stringify(oddTypes), outcomeRecord(good[0]!.event_id, at(0.1), { user_corrected_to: 7 as never })]);
    for (const analysis of await everyReader(path, { windowHours: 48 })) {
      expect(analysis.report.overall.decisions).toBe(6);
      expect(analysis.counts.invalidRecords).toBe(3);
      // confidence, total_latency_ms, ab_test, clarification; selected_master, confidence, latency_ms, success, error; user_corrected_to
      expect(analysis.counts.invalidFields).toBe(10);
      expect(() => renderAnalysisText(analysis.report, { color: false })).not.toThrow();
      expect(() => renderHtmlReport(analysis.report)).not.toThrow();
    }
    const { events, stats } = await readAll(path);
    expect(events).toHaveLength(6);
    expect(stats.invalidRecords).toBe(3);
  });
});
