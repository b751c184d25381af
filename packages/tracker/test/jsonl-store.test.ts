import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMoeRouterError } from "@moe-router/core";
import { afterAll, describe, expect, it } from "vitest";
import { jsonlStore, type EventStore, type RoutingEvent } from "../src/index.js";
import { eventStoreSuite } from "../src/testing/index.js";
import { daysAgo, decisionRecord, outcomeRecord } from "./support/records.js";

const root = mkdtempSync(join(tmpdir(), "moe-jsonl-"));
let dirs = 0;
const freshDir = () => join(root, `log-${++dirs}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function collect(store: EventStore, options = {}): Promise<RoutingEvent[]> {
  const events: RoutingEvent[] = [];
  for await (const event of store.read(options)) events.push(event);
  return events;
}

eventStoreSuite({ describe, it }, "jsonl", () => ({
  async fresh() {
    const path = join(freshDir(), "events.jsonl");
    return { open: async () => jsonlStore({ path }) };
  },
}));

// The same suite with read chunks shorter than a line, so every line crosses chunk boundaries.
eventStoreSuite({ describe, it }, "jsonl (200-byte read chunks)", () => ({
  bulkRecords: 600,
  async fresh() {
    const path = join(freshDir(), "events.jsonl");
    return { open: async () => jsonlStore({ path, readChunkBytes: 200 }) };
  },
}));

describe("jsonl store: the file", () => {
  it("writes one JSON object per line, snake_case, schema version first", async () => {
    const path = join(freshDir(), "events.jsonl");
    const store = jsonlStore({ path });
    const record = decisionRecord();
    store.append(record);
    store.append(outcomeRecord(record.event_id));
    await store.close();
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    expect(lines[0]!.startsWith(`{"schema_version":2,"record_type":"decision","event_id":"${record.event_id}","timestamp":"`)).toBe(true);
    expect(JSON.parse(lines[1]!)).toMatchObject({ record_type: "outcome", event_id: record.event_id, outcome: { task_completed: true } });
  });

  it("rotates by month of the record's timestamp and reads every file", async () => {
    const dir = freshDir();
    const store = jsonlStore({ path: join(dir, "events.jsonl"), rotate: { monthly: true } });
    const october = decisionRecord(new Date("2026-10-30T12:00:00Z"));
    const november = decisionRecord(new Date("2026-11-02T12:00:00Z"));
    store.append(october);
    store.append(november);
    store.append(outcomeRecord(october.event_id, new Date("2026-11-03T08:00:00Z")));
    await store.flush();
    expect(readdirSync(dir).sort()).toEqual(["events-2026-10.jsonl", "events-2026-11.jsonl"]);
    const events = await collect(store);
    expect(events.map((e) => e.event_id)).toEqual([november.event_id, october.event_id]);
    expect(events[1]!.outcome?.task_completed).toBe(true);
    await store.close();
  });

  it("rotates by size: events.jsonl, events.1.jsonl, ... all read in order", async () => {
    const dir = freshDir();
    const store = jsonlStore({ path: join(dir, "events.jsonl"), rotate: { maxBytes: 4_000 } });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const record = decisionRecord(new Date(Date.UTC(2026, 10, 1, 0, i)));
      ids.push(record.event_id);
      store.append(record);
      await store.flush();
    }
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(5);
    expect(files.sort()).toEqual(files.map((_, i) => (i === 0 ? "events.jsonl" : `events.${i}.jsonl`)).sort());
    for (const file of files.slice(0, -1)) expect(readFileSync(join(dir, file)).length).toBeLessThan(4_000 + 1_500);
    expect((await collect(store)).map((e) => e.event_id)).toEqual(ids.reverse());
    await store.close();
  });

  it("continues at the highest size index another process already reached", async () => {
    const dir = freshDir();
    const first = jsonlStore({ path: join(dir, "events.jsonl"), rotate: { monthly: true, maxBytes: 10_000 } });
    for (let i = 0; i < 30; i++) first.append(decisionRecord(new Date("2026-11-05T10:00:00Z")));
    await first.close();
    const before = readdirSync(dir).sort();
    const second = jsonlStore({ path: join(dir, "events.jsonl"), rotate: { monthly: true, maxBytes: 10_000 } });
    second.append(decisionRecord(new Date("2026-11-05T11:00:00Z")));
    await second.close();
    const after = readdirSync(dir).sort();
    // Only the last file (or a new one after it) grew: the earlier, full files are untouched.
    expect(after.filter((f) => !before.includes(f)).length).toBeLessThanOrEqual(1);
    for (const file of before.slice(0, -1)) expect(after).toContain(file);
  });

  it("skips and counts a torn last line, and the next writer does not glue onto it", async () => {
    const path = join(freshDir(), "events.jsonl");
    const store = jsonlStore({ path });
    const kept = decisionRecord(daysAgo(1));
    store.append(kept);
    await store.close();
    const torn = JSON.stringify(decisionRecord()).slice(0, 150);
    appendFileSync(path, torn);
    const reader = jsonlStore({ path });
    expect((await collect(reader)).map((e) => e.event_id)).toEqual([kept.event_id]);
    expect(reader.stats().tornLines).toBe(1);
    const next = decisionRecord();
    reader.append(next);
    await reader.flush();
    expect(readFileSync(path, "utf8")).toContain(`${torn}\n{"schema_version"`);
    expect((await collect(reader)).map((e) => e.event_id)).toEqual([next.event_id, kept.event_id]);
    expect(reader.stats().tornLines).toBe(1);
    await reader.close();
  });

  it("skips a corrupt line in the middle and a record of another kind, never failing", async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const path = join(dir, "events.jsonl");
    const a = decisionRecord(daysAgo(2));
    const b = decisionRecord(daysAgo(1));
    writeFileSync(path, `${JSON.stringify(a)}\n{"event_id": "x", "trunc\n{"hello":"world"}\n\n${JSON.stringify(b)}\n`);
    const store = jsonlStore({ path });
    expect((await collect(store)).map((e) => e.event_id)).toEqual([b.event_id, a.event_id]);
    expect(store.stats()).toMatchObject({ tornLines: 1, invalidRecords: 1 });
    await store.close();
  });

  it("reads the Python prototype's lines: no record_type, outcome inline", async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const path = join(dir, "performance.jsonl");
    const prototype = {
      event_id: "proto-1",
      timestamp: "2025-01-10T12:00:00.123456",
      task_id: "task-123",
      task_description: "Fix authentication bug in login system",
      task_metadata: { priority: "high" },
      selected_master: "security-master",
      routing_layer: "keyword",
      confidence: 0.9,
      all_probabilities: {},
      layer_attempts: [{ layer_name: "keyword", confidence: 0.9, selected_master: "security-master", success: true, metadata: { rule_used: "security" } }],
      outcome: { task_completed: true, task_status: "completed", was_correct_master: true, completion_time_minutes: 45, quality_score: 0.95 },
    };
    const unfinished = { ...prototype, event_id: "proto-2", outcome: null };
    writeFileSync(path, `${JSON.stringify(prototype)}\n${JSON.stringify(unfinished)}\n`);
    const store = jsonlStore({ path });
    const events = await collect(store);
    expect(events.map((e) => e.event_id)).toEqual(["proto-2", "proto-1"]);
    expect(events[1]).toMatchObject({ schema_version: 0, record_type: "decision", routing_layer: "keyword", outcome: { quality_score: 0.95 } });
    expect(events[0]!.outcome).toBeUndefined();
    // A new-format outcome appended to prototype data joins it.
    store.append(outcomeRecord("proto-2"));
    expect((await store.get("proto-2"))?.outcome?.task_completed).toBe(true);
    await store.close();
  });

  it("reads the whole log for a window: an old line never ends the read", async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const path = join(dir, "events.jsonl");
    const old = decisionRecord(daysAgo(30));
    const recent = decisionRecord(daysAgo(1));
    const older = decisionRecord(daysAgo(1.5));
    writeFileSync(path, `not json at all\n${JSON.stringify(older)}\n${JSON.stringify(old)}\n${JSON.stringify(recent)}\n`);
    const store = jsonlStore({ path, orderSlackMs: 0 });
    expect((await collect(store, { since: daysAgo(2) })).map((e) => e.event_id)).toEqual([recent.event_id, older.event_id]);
    // The corrupt line at the start was reached and counted.
    expect(store.stats().tornLines).toBe(1);
    await store.close();
  });
});

describe("jsonl store: failures never throw into the caller of append()", () => {
  it("counts a failed write, tells the listeners, and rejects flush() with STORE_FAILED", async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const blocker = join(dir, "not-a-dir");
    writeFileSync(blocker, "a file where a directory should be");
    const store = jsonlStore({ path: join(blocker, "events.jsonl") });
    const heard: string[] = [];
    store.onError((error) => heard.push(error.code));
    expect(() => store.append(decisionRecord())).not.toThrow();
    await expect(store.flush()).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_STORE_FAILED") && /not-a-dir/.test((e as Error).message));
    expect(store.stats()).toMatchObject({ appended: 1, written: 0, failed: 1 });
    expect(store.stats().lastError?.code).toBe("MOE_STORE_FAILED");
    expect(heard).toEqual(["MOE_STORE_FAILED"]);
    await store.flush();
    await store.close();
  });

  it("serialises after append() returns: a record JSON.stringify refuses is stored as its JSON-safe copy", async () => {
    const path = join(freshDir(), "events.jsonl");
    const store = jsonlStore({ path });
    const good = decisionRecord();
    const bad = decisionRecord(new Date(), { task: { description: "has a bigint", metadata: { size: 10n } } });
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    (bad.layer_attempts[0] as { metadata?: unknown }).metadata = { circular };
    expect(() => store.append(bad)).not.toThrow();
    store.append(good);
    await store.flush();
    expect(store.stats()).toMatchObject({ appended: 2, written: 2, failed: 0 });
    const lines = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.event_id)).toEqual([bad.event_id, good.event_id]);
    expect(lines[0].task_metadata).toEqual({ size: "10" });
    expect(lines[0].layer_attempts[0].metadata).toEqual({ circular: { name: "loop", self: "[Circular]" } });
    await store.close();
  });

  it("drops and counts appends once the buffer is full", async () => {
    const store = jsonlStore({ path: join(freshDir(), "events.jsonl"), maxBufferedBytes: 3_000 });
    for (let i = 0; i < 10; i++) store.append(decisionRecord());
    const stats = store.stats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.appended + stats.dropped).toBe(10);
    await store.close();
  });

  it("rejects bad options with coded errors", () => {
    expect(() => jsonlStore({ path: "" })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(() => jsonlStore({ path: "x.jsonl", rotate: { maxBytes: -1 } })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(() => jsonlStore({ path: "x.jsonl", rotate: { monthy: true } as never })).toThrow(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION" }));
    expect(() => jsonlStore({ path: "x.jsonl", fsyncc: true } as never)).toThrow(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION" }));
  });
});
