import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeJsonlDetailed, generateSampleRecords, type AnalyzeJsonlOptions } from "../src/index.js";
import { cachePathFor } from "../src/analysis/cache/cache-file.js";
import type { LogRecord } from "../src/records.js";

const root = mkdtempSync(join(tmpdir(), "moe-analysis-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const END = new Date("2026-01-01T00:00:00.000Z");
const NOW = END.getTime() + 60_000;
let dirs = 0;

/** A fresh directory with `events.jsonl` holding the lines given. */
function logWith(lines: readonly string[], name = "events.jsonl"): string {
  const dir = join(root, `log-${++dirs}`);
  mkdirSync(dir);
  const path = join(dir, name);
  writeFileSync(path, lines.map((line) => `${line}\n`).join(""));
  return path;
}

const json = (records: Iterable<LogRecord>): string[] => [...records].map((record) => JSON.stringify(record));
const sample = json(generateSampleRecords({ count: 1500, seed: 9, days: 10, end: END }));

/** The cached analysis and the uncached one (the store's reader), to compare. */
async function both(path: string, options: AnalyzeJsonlOptions = {}) {
  const cached = await analyzeJsonlDetailed(path, { now: NOW, workers: 1, ...options });
  const plain = await analyzeJsonlDetailed(path, { now: NOW, workers: 1, ...options, cache: false });
  expect(plain.cache).toBeUndefined();
  return { cached, plain };
}

async function expectSame(path: string, options: AnalyzeJsonlOptions = {}) {
  const { cached, plain } = await both(path, options);
  expect(cached.report).toEqual(plain.report);
  expect(cached.counts).toEqual(plain.counts);
  return cached;
}

const WINDOWS: AnalyzeJsonlOptions[] = [
  {},
  { windowHours: 72 },
  { windowHours: 5, orderSlackMs: 0 },
  { layer: "semantic" },
  { layer: "clarification", windowHours: 100 },
  { calibrationBins: 7, alpha: 0.01 },
];

describe("analysis cache: same report as parsing the log", () => {
  it("builds the cache on the first analysis, then answers from it, bit for bit, for every window and filter", async () => {
    const path = logWith(sample);
    const cold = await expectSame(path);
    expect(cold.cache).toMatchObject({ files: 1, rebuilt: 1, warm: 0, parsedBytes: statSync(path).size, writeFailures: 0 });
    expect(cold.report.overall.decisions).toBe(1500);
    expect(cold.report.overall.withOutcome).toBeGreaterThan(500);
    for (const options of WINDOWS) {
      const warm = await expectSame(path, options);
      expect(warm.cache).toMatchObject({ warm: 1, rebuilt: 0, extended: 0, parsedBytes: 0 });
    }
  });

  it("handles prototype lines, odd field types, blank, torn and non-record lines, and a torn last line", async () => {
    const [first, second, third] = sample.filter((line) => line.includes('"record_type":"decision"'));
    const odd = JSON.parse(first!);
    odd.event_id = "odd-1";
    odd.layer_attempts[0].selected_master = null;
    odd.layer_attempts.push(
      { layer_name: "rag", error: { code: 42 }, success: false },
      { layer_name: 7, success: true },
      { layer_name: "neural", shadow: true, selected_master: "cicd-master", confidence: 0.5, success: false },
    );
    const oddTime = { ...JSON.parse(second!), event_id: "odd-time", timestamp: "2025-12-31T20:00:00+01:00" };
    const clarified = {
      ...JSON.parse(third!),
      event_id: "clar-1",
      routing_layer: "clarification",
      selected_master: "coordinator-master",
      clarification: { reason: "ambiguous", candidates: ["security-master", "cicd-master"] },
    };
    const prototype = [
      {
        event_id: "proto-1",
        timestamp: "2025-12-31T22:00:00.000Z",
        task_description: "Fix login",
        selected_master: "security-master",
        routing_method: "keyword",
        confidence: 0.9,
        layer_attempts: [{ layer: "keyword", selected_master: "security-master", confidence: 0.9, success: true }],
        outcome: { task_status: "completed", was_correct_master: true, completion_time_minutes: 30 },
      },
      {
        event_id: "proto-2",
        timestamp: "2025-12-31T22:05:00.000Z",
        selected_master: "cicd-master",
        routing_method: "semantic",
        layer_attempts: [],
        outcome: { task_status: "failed", user_corrected_to: "inventory-master" },
      },
    ];
    const lateOutcome = { schema_version: 1, record_type: "outcome", event_id: "proto-2", timestamp: "2025-12-31T23:00:00.000Z", outcome: { task_completed: true, was_correct_master: true } };
    const lines = [
      ...sample.slice(0, 700),
      JSON.stringify(odd),
      "",
      "\r",
      "{not json",
      '{"hello":"world"}',
      JSON.stringify(oddTime),
      JSON.stringify(clarified),
      ...prototype.map((p) => JSON.stringify(p)),
      ...sample.slice(700),
      JSON.stringify(lateOutcome),
    ];
    const path = logWith(lines);
    appendFileSync(path, '{"schema_version":1,"record_type":"decision","event_id":"torn');
    const first1 = await expectSame(path);
    // "odd-1" has an attempt without a layer name: a malformed record, skipped and counted.
    expect(first1.counts).toEqual({ tornLines: 3, invalidRecords: 2, invalidFields: 0, duplicates: 0 });
    expect(first1.report.clarification.ambiguousPairs.some((p) => p.pair === "cicd-master | security-master")).toBe(true);
    for (const options of WINDOWS) await expectSame(path, options);
  });

  it("joins outcomes to decisions in older rotated files, newest outcome winning", async () => {
    const dir = join(root, `rotated-${++dirs}`);
    mkdirSync(dir);
    const spread = json(generateSampleRecords({ count: 1500, seed: 4, days: 45, end: END }));
    const byMonth = new Map<string, string[]>();
    for (const line of spread) {
      const month = (JSON.parse(line) as LogRecord).timestamp.slice(0, 7);
      byMonth.set(month, [...(byMonth.get(month) ?? []), line]);
    }
    expect(byMonth.size).toBeGreaterThanOrEqual(2);
    for (const [month, lines] of byMonth) writeFileSync(join(dir, `events-${month}.jsonl`), lines.map((l) => `${l}\n`).join(""));
    // A second, newer report for an event of the older file: it must replace the first.
    const oldDecision = JSON.parse(spread[0]!) as LogRecord;
    appendFileSync(
      join(dir, `events-${[...byMonth.keys()].pop()}.jsonl`),
      `${JSON.stringify({ schema_version: 1, record_type: "outcome", event_id: oldDecision.event_id, timestamp: "2025-12-31T23:59:00.000Z", outcome: { task_completed: false, user_corrected_to: "inventory-master" } })}\n`,
    );
    const path = join(dir, "events.jsonl");
    const cold = await expectSame(path);
    expect(cold.cache).toMatchObject({ files: byMonth.size, rebuilt: byMonth.size });
    expect(cold.report.overall.decisions).toBe(1500);
    for (const options of WINDOWS) expect((await expectSame(path, options)).cache).toMatchObject({ warm: byMonth.size });
  });
});

describe("analysis cache: appends and invalidation", () => {
  it("extends the cache with appended lines only (decisions, and outcomes for cached decisions)", async () => {
    const path = logWith(sample.slice(0, 1200));
    await expectSame(path);
    const before = statSync(path).size;
    const added = sample
      .slice(1200)
      .map((l) => `${l}\n`)
      .join("");
    appendFileSync(path, `${added}{"schema_version":1,"record_type":"outc`);
    const grown = await expectSame(path);
    expect(grown.cache).toMatchObject({ extended: 1, rebuilt: 0, parsedBytes: statSync(path).size - before });
    expect(grown.counts.tornLines).toBe(1);
    // The torn tail is completed later: only it is parsed, and it counts as a line now.
    appendFileSync(path, 'ome","event_id":"nobody","timestamp":"2026-01-01T00:00:00.000Z","outcome":{"task_completed":true}}\n');
    const completed = await expectSame(path, { windowHours: 48 });
    expect(completed.cache).toMatchObject({ extended: 1, parsedBytes: statSync(path).size - before - added.length });
    expect(completed.counts.tornLines).toBe(0);
    expect((await expectSame(path)).cache).toMatchObject({ warm: 1, parsedBytes: 0 });
  });

  it("rebuilds when the log shrank, was rewritten at the same size, replaced, or the cache is damaged or of another version", async () => {
    const path = logWith(sample.slice(0, 800));
    const cachePath = cachePathFor(path);
    await expectSame(path);
    const rebuiltAfter = async (change: () => void) => {
      change();
      const result = await expectSame(path);
      expect(result.cache).toMatchObject({ rebuilt: 1, warm: 0, extended: 0 });
      return result;
    };
    // Truncated to fewer lines.
    await rebuiltAfter(() =>
      writeFileSync(
        path,
        sample
          .slice(0, 500)
          .map((l) => `${l}\n`)
          .join(""),
      ),
    );
    // Same size, one expert renamed in place (mtime moves on).
    await rebuiltAfter(() => {
      const text = readFileSync(path, "utf8");
      writeFileSync(path, text.replace('"selected_master":"cicd-master"', '"selected_master":"cicd-mastex"'));
      utimesSync(path, new Date(), new Date(Date.now() + 5000));
    });
    // Same size and mtime restored, first line changed: the sampled hashes see it.
    await rebuiltAfter(() => {
      const { atime, mtime } = statSync(path);
      const text = readFileSync(path, "utf8");
      writeFileSync(path, text.replace('"source":"api"', '"source":"apj"'));
      utimesSync(path, atime, mtime);
    });
    // Replaced by a different, longer log (rotation then a fresh file with the same name).
    await rebuiltAfter(() =>
      writeFileSync(
        path,
        json(generateSampleRecords({ count: 900, seed: 77, days: 3, end: END }))
          .map((l) => `${l}\n`)
          .join(""),
      ),
    );
    // A flipped byte in the cache's columns.
    await rebuiltAfter(() => {
      const bytes = readFileSync(cachePath);
      bytes[bytes.length - 100] = 255 - bytes[bytes.length - 100]!;
      writeFileSync(cachePath, bytes);
    });
    // Another format version.
    await rebuiltAfter(() => {
      const bytes = readFileSync(cachePath);
      const at = bytes.indexOf('"version":3,');
      expect(at).toBeGreaterThan(0);
      bytes.write('"version":9,', at, "latin1");
      writeFileSync(cachePath, bytes);
    });
    // Truncated cache file, then garbage.
    await rebuiltAfter(() => writeFileSync(cachePath, readFileSync(cachePath).subarray(0, 5000)));
    await rebuiltAfter(() => writeFileSync(cachePath, "not a cache"));
    expect((await expectSame(path)).cache).toMatchObject({ warm: 1 });
  });

  it("goes on without saving when the cache cannot be written", async () => {
    const path = logWith(sample.slice(0, 600));
    // A file where the cache directory should be: mkdir fails (works even as root, unlike chmod).
    writeFileSync(join(path, "..", ".analysis-cache"), "");
    for (let run = 0; run < 2; run++) {
      const result = await expectSame(path, { windowHours: 100 });
      expect(result.cache).toMatchObject({ rebuilt: 1, writeFailures: 1 });
    }
  });

  it("falls back to parsing for a windowed analysis over non-canonical timestamps, and is skipped with cache: false", async () => {
    const decision = JSON.parse(sample.find((l) => l.includes('"record_type":"decision"'))!);
    const path = logWith([...sample.slice(0, 300), JSON.stringify({ ...decision, event_id: "tz", timestamp: "2025-12-31T23:00:00+00:00" })]);
    const windowed = await expectSame(path, { windowHours: 24 });
    expect(windowed.cache).toBeUndefined();
    expect((await expectSame(path)).cache).toMatchObject({ warm: 1 });
    await expect(analyzeJsonlDetailed(path, { cache: "yes" as unknown as boolean })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });
});
