/**
 * Property-based fault test: arbitrary JSON lines, arbitrary bytes, malformed and
 * out-of-range records, duplicates, in any order, fed to every reader of the JSONL log (the
 * store's reader, recentEvents, the analysis cache built and warm, the uncached and the
 * parallel reader). None may throw, and each must accept exactly the records the log holds.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeJsonlDetailed, jsonlStore, type DecisionRecord } from "../src/index.js";
import { analyzeJsonlWith } from "../src/analysis/analyze-jsonl.js";
import { inThread } from "../src/analysis/internal/worker-pool.js";
import { decisionRecord, outcomeRecord } from "./support/records.js";

const dir = mkdtempSync(join(tmpdir(), "moe-faults-property-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.now();
const HOUR = 3_600_000;
const NEWLINE = 10;

type Spec =
  | { kind: "decision"; hoursAgo: number }
  | { kind: "outcome"; of: number; quality: number }
  | { kind: "duplicate"; of: number }
  | { kind: "malformed"; attempt: unknown }
  | { kind: "json"; text: string }
  | { kind: "bytes"; bytes: Uint8Array };

/** JSON that cannot be a record: not an object holding both an event_id and a timestamp. */
const foreignJson = fc.jsonValue().filter((value) => !(value !== null && typeof value === "object" && !Array.isArray(value) && "event_id" in value && "timestamp" in value));
/** A line of bytes: no newline, not blank, and no way to spell a record's key. */
const foreignBytes = fc.uint8Array({ minLength: 1, maxLength: 80 }).filter((bytes) => {
  if (bytes.includes(NEWLINE)) return false;
  const text = Buffer.from(bytes).toString("utf8");
  return text.trim() !== "" && !text.includes("event_id") && !Buffer.from(bytes).toString("latin1").includes("event_id");
});

const spec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("decision" as const), hoursAgo: fc.integer({ min: 0, max: 200 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("outcome" as const), of: fc.nat(), quality: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1.5, max: 1e308, noNaN: true })) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), of: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("malformed" as const), attempt: fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.array(fc.nat(), { maxLength: 2 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("json" as const), text: foreignJson.map((value) => JSON.stringify(value)) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("bytes" as const), bytes: foreignBytes }) },
);

interface Expected {
  decisions: DecisionRecord[];
  duplicates: number;
  tornLines: number;
  invalidRecords: number;
  invalidFields: number;
}

let runs = 0;

/** Writes the log the specs describe and works out, independently of the readers, what it holds. */
function writeLog(specs: readonly Spec[]): { path: string; expected: Expected } {
  const expected: Expected = { decisions: [], duplicates: 0, tornLines: 0, invalidRecords: 0, invalidFields: 0 };
  const chunks: Buffer[] = [];
  const line = (text: string | Uint8Array) => chunks.push(Buffer.concat([typeof text === "string" ? Buffer.from(text) : Buffer.from(text), Buffer.from("\n")]));
  for (const item of specs) {
    const decisions = expected.decisions;
    switch (item.kind) {
      case "decision": {
        const record = decisionRecord(new Date(NOW - item.hoursAgo * HOUR));
        decisions.push(record);
        line(JSON.stringify(record));
        break;
      }
      case "outcome": {
        if (decisions.length === 0) break;
        const target = decisions[item.of % decisions.length]!;
        if (item.quality > 1) expected.invalidFields++;
        line(JSON.stringify(outcomeRecord(target.event_id, new Date(NOW), { quality_score: item.quality })));
        break;
      }
      case "duplicate": {
        if (decisions.length === 0) break;
        expected.duplicates++;
        line(JSON.stringify(decisions[item.of % decisions.length]!));
        break;
      }
      case "malformed":
        expected.invalidRecords++;
        line(JSON.stringify({ ...decisionRecord(new Date(NOW - HOUR)), layer_attempts: [item.attempt] }));
        break;
      case "json":
        expected.invalidRecords++;
        line(item.text);
        break;
      case "bytes": {
        let parses = true;
        try {
          JSON.parse(Buffer.from(item.bytes).toString("utf8"));
        } catch {
          parses = false;
        }
        if (parses) expected.invalidRecords++;
        else expected.tornLines++;
        line(item.bytes);
        break;
      }
    }
  }
  const folder = join(dir, `run-${runs++}`);
  mkdirSync(folder);
  const path = join(folder, "events.jsonl");
  writeFileSync(path, Buffer.concat(chunks));
  return { path, expected };
}

describe("faults: every reader on arbitrary lines and bytes (fast-check)", () => {
  it("never throws and accepts exactly the records in the log", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { maxLength: 40 }), fc.integer({ min: 1, max: 150 }), async (specs, windowHours) => {
        const { path, expected } = writeLog(specs);
        const counts = { tornLines: expected.tornLines, invalidRecords: expected.invalidRecords, invalidFields: expected.invalidFields, duplicates: expected.duplicates };
        const since = NOW - windowHours * HOUR;
        const inWindow = expected.decisions.filter((d) => Date.parse(d.timestamp) >= since).length;

        const store = jsonlStore({ path });
        const ids: string[] = [];
        for await (const event of store.read()) ids.push(event.event_id);
        expect(ids.sort()).toEqual(expected.decisions.map((d) => d.event_id).sort());
        const { tornLines, invalidRecords, invalidFields, duplicates } = store.stats();
        expect({ tornLines, invalidRecords, invalidFields, duplicates }).toEqual(counts);
        let windowed = 0;
        for await (const _ of store.read({ since: new Date(since) })) windowed++;
        expect(windowed).toBe(inWindow);
        expect(await store.recentEvents(10_000)).toHaveLength(expected.decisions.length);
        await store.close();

        const readers = [
          () => analyzeJsonlDetailed(path, { now: NOW }),
          () => analyzeJsonlDetailed(path, { now: NOW }),
          () => analyzeJsonlDetailed(path, { now: NOW, cache: false }),
          () => analyzeJsonlWith(path, { now: NOW, cache: false, workers: 3 }, () => inThread),
        ];
        for (const read of readers) {
          const analysis = await read();
          expect(analysis.report.overall.decisions).toBe(expected.decisions.length);
          expect(analysis.counts).toEqual(counts);
          expect(analysis.report.dataIssues).toEqual(counts);
        }
        for (const cache of [true, false]) {
          const analysis = await analyzeJsonlDetailed(path, { now: NOW, windowHours, cache });
          expect(analysis.report.overall.decisions).toBe(inWindow);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
