/**
 * Fault suite, JSONL store and tracker: process.exit() right after routing, an awaited
 * routing loop that never yields, a full disk (a write that stops part-way, injected through
 * a mocked `fs/promises` handle), and outcomes that are not durable.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as fsPromises from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ErrorCode, createCascade, lookupLayer, type MoeRouterError } from "@moe-router/core";
import { createTracker, jsonlStore, type RoutingEvent } from "../src/index.js";
import { decisionRecord } from "./support/records.js";

/** Disk-full injection: once set, writes to files whose path ends with `path` take `budget` more bytes, then fail ENOSPC. */
const diskFull: { path: string | undefined; budget: number } = { path: undefined, budget: 0 };

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof fsPromises>();
  const open: typeof actual.open = async (...args) => {
    const handle = await actual.open(...args);
    const file = String(args[0]);
    const write = handle.write.bind(handle) as (buffer: Buffer, offset: number, length: number) => Promise<{ bytesWritten: number; buffer: Buffer }>;
    (handle as unknown as { write: typeof write }).write = async (buffer, offset, length) => {
      if (diskFull.path === undefined || !file.endsWith(diskFull.path)) return write(buffer, offset, length);
      if (diskFull.budget <= 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      const take = Math.min(length, diskFull.budget);
      diskFull.budget -= take;
      return write(buffer, offset, take);
    };
    return handle;
  };
  return { ...actual, open, default: { ...actual, open } };
});

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const root = mkdtempSync(join(tmpdir(), "moe-faults-jsonl-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshPath = () => {
  const dir = join(root, `d${dirs++}`);
  mkdirSync(dir);
  return join(dir, "events.jsonl");
};
const lines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "");

async function readAll(path: string): Promise<RoutingEvent[]> {
  const store = jsonlStore({ path });
  const events: RoutingEvent[] = [];
  for await (const event of store.read()) events.push(event);
  await store.close();
  return events;
}

function runChild(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=moe-router-source", join(packageDir, "test/support/fault-child.ts"), ...args], {
    cwd: packageDir,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

describe("faults: process.exit() one turn after routing", () => {
  for (const count of [1, 10, 1_000, 20_000]) {
    it(`writes all ${count} buffered decision(s), including those already handed to an async write`, async () => {
      const path = freshPath();
      const { code, stderr } = await runChild(["exit-next-turn", path, String(count)]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const events = await readAll(path);
      expect(events).toHaveLength(count);
      expect(new Set(events.map((e) => e.event_id)).size).toBe(count);
    }, 60_000);
  }
});

describe("faults: backpressure instead of drops", () => {
  it("an awaited routing loop that never yields loses nothing: route() waits for the disk", async () => {
    const path = freshPath();
    // A small hard limit, so that without backpressure most records would be dropped.
    const tracker = createTracker({ store: jsonlStore({ path, maxBufferedBytes: 2 * 2 ** 20, highWaterBytes: 256 * 1024 }) });
    const cascade = createCascade({ layers: [{ layer: lookupLayer(), threshold: 0.5 }], observers: [tracker] });
    const count = 20_000;
    for (let i = 0; i < count; i++) await cascade.route({ description: `task ${i}` });
    await tracker.close();
    const { store } = tracker.stats();
    expect(store.dropped).toBe(0);
    expect(store.written).toBe(count);
    expect(lines(path)).toHaveLength(count);
  }, 60_000);

  it("drops only past the hard limit in bytes (routeSync cannot wait), and counts it", async () => {
    const path = freshPath();
    const store = jsonlStore({ path, maxBufferedBytes: 64 * 1024 });
    const record = { ...decisionRecord(), event_id: "e0000" };
    const size = Buffer.byteLength(`${JSON.stringify(record)}\n`);
    for (let i = 0; i < 1_000; i++) store.append({ ...record, event_id: `e${String(i).padStart(4, "0")}` });
    await store.flush().catch(() => undefined);
    await store.close();
    // The exact-bytes limit admits floor(64 KiB / size) records (all of one size), not a per-record estimate.
    const accepted = Math.floor((64 * 1024) / size);
    expect(store.stats().written).toBe(accepted);
    expect(store.stats().dropped).toBe(1_000 - accepted);
    expect(lines(path)).toHaveLength(accepted);
  });
});

describe("faults: disk full (ENOSPC injected part-way through a write)", () => {
  it("counts the complete lines that reached the file as written, only the rest as failed", async () => {
    const path = freshPath();
    const store = jsonlStore({ path });
    const records = Array.from({ length: 2_000 }, () => decisionRecord());
    const size = Buffer.byteLength(`${JSON.stringify(records[0])}\n`);
    diskFull.path = path;
    diskFull.budget = size * 366 + Math.floor(size / 2);
    for (const record of records) store.append(record);
    const error = await store.flush().then(
      () => undefined,
      (e: MoeRouterError) => e,
    );
    diskFull.path = undefined;
    expect(error?.code).toBe(ErrorCode.STORE_FAILED);
    const onDisk = lines(path).filter((line) => line.endsWith("}")).length;
    const stats = store.stats();
    expect(onDisk).toBeGreaterThan(0);
    expect(stats.written).toBe(onDisk);
    expect(stats.failed).toBe(2_000 - onDisk);
    expect((error?.data as { count: number }).count).toBe(2_000 - onDisk);
    // A retry of the whole batch duplicates what was written: readers count each decision once.
    for (const record of records) store.append(record);
    await store.close();
    const events = await readAll(path);
    expect(events).toHaveLength(2_000);
  });
});

describe("faults: recordOutcome rejects whenever the outcome is not durable", () => {
  it("after close()", async () => {
    const tracker = createTracker({ store: jsonlStore({ path: freshPath() }), verifyOutcomes: false });
    await tracker.close();
    await expect(tracker.recordOutcome("e1", { completed: true })).rejects.toMatchObject({ code: ErrorCode.CLOSED });
  });

  it("with a full buffer and verifyOutcomes: false", async () => {
    const tracker = createTracker({ store: jsonlStore({ path: freshPath(), maxBufferedBytes: 64 }), verifyOutcomes: false });
    await expect(tracker.recordOutcome("e1", { completed: true, correct: true })).rejects.toMatchObject({ code: ErrorCode.STORE_FAILED });
    expect(tracker.stats().outcomes).toBe(0);
    await tracker.close();
  });

  it("when the write fails", async () => {
    const path = freshPath();
    mkdirSync(path); // the log path is a directory: every write fails
    const tracker = createTracker({ store: jsonlStore({ path }), verifyOutcomes: false, onError: () => undefined });
    await expect(tracker.recordOutcome("e1", { completed: true })).rejects.toMatchObject({ code: ErrorCode.STORE_FAILED });
    await tracker.close().catch(() => undefined);
  });

  it("and resolves only once the outcome is in the file", async () => {
    const path = freshPath();
    const tracker = createTracker({ store: jsonlStore({ path }), verifyOutcomes: false });
    await tracker.recordOutcome("e1", { completed: true, minutes: 3 });
    expect(lines(path).map((line) => JSON.parse(line).event_id)).toEqual(["e1"]);
    await tracker.close();
  });
});
