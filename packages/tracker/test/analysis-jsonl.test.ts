import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ErrorCode } from "@moe-router/core";
import { analyzeJsonl, analyzeJsonlDetailed, analyzeStore, generateSampleRecords, jsonlStore, type AnalysisReport } from "../src/index.js";
import { analyzeJsonlWith } from "../src/analysis/analyze-jsonl.js";
import { inThread } from "../src/analysis/internal/worker-pool.js";
import type { LogRecord, OutcomeRecord } from "../src/records.js";
import { rounded } from "./support/rounded.js";

const dir = mkdtempSync(join(tmpdir(), "moe-analyze-jsonl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const END = new Date("2026-01-01T00:00:00.000Z");
const NOW = END.getTime() + 60_000;

function writeLog(name: string, records: Iterable<LogRecord | string>): string {
  const path = join(dir, name);
  writeFileSync(path, "");
  for (const record of records) appendFileSync(path, `${typeof record === "string" ? record : JSON.stringify(record)}\n`);
  return path;
}

async function viaStore(path: string, options: Parameters<typeof analyzeJsonl>[1] = {}): Promise<AnalysisReport> {
  const store = jsonlStore({ path });
  try {
    return await analyzeStore(store, { now: NOW, ...options });
  } finally {
    await store.close();
  }
}

const sample = [...generateSampleRecords({ count: 3000, seed: 5, days: 10, end: END })];
const samplePath = writeLog("events.jsonl", sample);

describe("analyzeJsonl", () => {
  it("gives the store reader's report on one thread", async () => {
    const expected = await viaStore(samplePath);
    expect(expected.overall.decisions).toBe(3000);
    expect(expected.overall.withOutcome).toBeGreaterThan(1000);
    expect(await analyzeJsonl(samplePath, { now: NOW, workers: 1 })).toEqual(expected);
  });

  it("gives the same report when the log is split into parts and merged (late outcomes joined)", async () => {
    const expected = rounded(await viaStore(samplePath));
    for (const parts of [2, 5, 9]) {
      const { report, workers } = await analyzeJsonlWith(samplePath, { now: NOW, workers: parts, readChunkBytes: 4096 }, () => inThread);
      expect(workers).toBe(parts);
      expect(rounded(report)).toEqual(expected);
    }
  });

  it("reads on real worker threads", async () => {
    const { report, workers } = await analyzeJsonlDetailed(samplePath, { now: NOW, workers: 2, cache: false });
    expect(workers).toBe(2);
    expect(rounded(report)).toEqual(rounded(await viaStore(samplePath)));
  }, 60_000);

  it("stops a windowed read at the window and matches the store", async () => {
    const options = { windowHours: 36, layer: "semantic" };
    const report = await analyzeJsonl(samplePath, { now: NOW, ...options });
    expect(report.overall.decisions).toBeGreaterThan(50);
    expect(report.overall.decisions).toBeLessThan(1000);
    expect(report).toEqual(await viaStore(samplePath, options));
  });

  it("lets the newest outcome win across part boundaries and takes back the one it replaces", async () => {
    const decision = sample.find((r) => r.record_type === "decision")!;
    const fillers = sample.filter((r) => r.record_type === "decision").slice(1, 400);
    const first: OutcomeRecord = { schema_version: 1, record_type: "outcome", event_id: decision.event_id, timestamp: decision.timestamp, outcome: { task_completed: true, was_correct_master: true } };
    const second: OutcomeRecord = { ...first, outcome: { task_completed: false, was_correct_master: false, user_corrected_to: "zeta-master" } };
    const path = writeLog("late.jsonl", [decision, first, ...fillers, second]);
    for (const parts of [1, 2, 4]) {
      const { report } = await analyzeJsonlWith(path, { now: NOW, workers: parts }, () => inThread);
      expect(report.corrections.matrix[decision.selected_master]?.["zeta-master"]).toBe(1);
      expect(report.overall.withOutcome).toBe(1);
      expect(report.overall.accuracy).toEqual({ judged: 1, correct: 0, rate: 0 });
    }
  });

  it("skips and counts torn and foreign lines, reads prototype lines and rotated files", async () => {
    const prototype = {
      event_id: "proto-1",
      timestamp: "2025-12-31T10:00:00Z",
      task_description: "Deploy API",
      selected_master: "cicd-master",
      routing_method: "keyword",
      confidence: 0.9,
      layer_attempts: [{ layer: "keyword", selected_master: "cicd-master", confidence: 0.9, success: true, latency_ms: 1 }],
      outcome: { task_status: "completed", was_correct_master: true },
    };
    writeLog("rot-2025-11.jsonl", sample.slice(0, 100));
    const path = writeLog("rot.jsonl", [...sample.slice(100, 200), "{not json", '{"hello":"world"}', "", JSON.stringify(prototype)]);
    appendFileSync(path, '{"schema_version":1,"record_type":"decision","event_id":"torn');
    const { report, counts } = await analyzeJsonlDetailed(path, { now: NOW, workers: 1 });
    expect(counts).toEqual({ tornLines: 2, invalidRecords: 1, invalidFields: 0, duplicates: 0 });
    const decisions = sample.slice(0, 200).filter((r) => r.record_type === "decision").length;
    expect(report.overall.decisions).toBe(decisions + 1);
    expect(report).toEqual(await viaStore(path));
  });

  it("reports a missing log as empty and rejects bad options with coded errors", async () => {
    expect((await analyzeJsonl(join(dir, "nothing.jsonl"))).overall.decisions).toBe(0);
    await expect(analyzeJsonl(samplePath, { workers: 0 })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
    await expect(analyzeJsonl(samplePath, { readChunkBytes: 3 })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
    await expect(analyzeJsonl(samplePath, { windowHour: 3 } as never)).rejects.toMatchObject({ code: ErrorCode.UNKNOWN_OPTION });
  });
});
