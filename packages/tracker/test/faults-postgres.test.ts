/**
 * Fault suite, PostgreSQL store. These tests start a server of their OWN (even when
 * MOE_PG_URL is set): they stop it, restart it and SIGSTOP it. Bounded: about 30 s in all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode, createCascade, lookupLayer, type MoeRouterError } from "@moe-router/core";
import { createTracker, openStore, postgresStore, type EventStore, type RoutingEvent } from "../src/index.js";
import { findPostgresBin, startControlledPostgres, type ControlledPostgres } from "./support/postgres.js";
import { decisionRecord } from "./support/records.js";

const noServer = findPostgresBin() === undefined;
if (noServer && process.env.MOE_REQUIRE_PG === "1") throw new Error("PostgreSQL binaries not found; MOE_REQUIRE_PG=1 makes the fault suite a failure.");
if (noServer) console.warn("Skipping the PostgreSQL fault suite: no server binaries in /usr/lib/postgresql/*/bin.");

let tables = 0;
const prefix = () => `fault_${process.pid}_${++tables}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readAll(store: EventStore): Promise<RoutingEvent[]> {
  const events: RoutingEvent[] = [];
  for await (const event of store.read()) events.push(event);
  return events;
}

describe.skipIf(noServer)("faults: PostgreSQL store", () => {
  let server: ControlledPostgres;
  beforeAll(async () => {
    server = await startControlledPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("stores a batch of 201 records when one holds \\u0000 and one a lone surrogate (escaped), and fails a refused record alone", async () => {
    const store = await postgresStore({ connectionString: server.url, tablePrefix: prefix() });
    const records = Array.from({ length: 201 }, () => decisionRecord());
    records[17] = { ...records[17]!, task_description: "before\u0000after" };
    records[99] = { ...records[99]!, task_description: "lone \ud800 surrogate", task_metadata: { note: "\udc00" } };
    const refused = { ...decisionRecord(), timestamp: "-100000-01-01T00:00:00.000Z" };
    for (const record of records) store.append(record);
    store.append(refused);
    const error = await store.flush().then(
      () => undefined,
      (e: MoeRouterError) => e,
    );
    expect(error?.code).toBe(ErrorCode.STORE_FAILED);
    expect(store.stats()).toMatchObject({ written: 201, failed: 1 });
    const events = await readAll(store);
    expect(events).toHaveLength(201);
    expect(events.find((e) => e.event_id === records[17]!.event_id)?.task_description).toBe("before\\u0000after");
    expect(events.find((e) => e.event_id === records[99]!.event_id)?.task_description).toBe("lone \\ud800 surrogate");
    await store.close();
  });

  it("loses nothing of 10,000 events across an 8 s server stop: buffered, retried with backoff", async () => {
    const store = await postgresStore({ connectionString: server.url, tablePrefix: prefix(), retryDelayMs: 50, maxRetryDelayMs: 1_000, connectTimeoutMs: 1_000 });
    const errors: MoeRouterError[] = [];
    store.onError((error) => errors.push(error));
    const records = Array.from({ length: 10_000 }, () => decisionRecord());
    for (const record of records.slice(0, 2_000)) store.append(record);
    await store.flush();
    await server.halt();
    const stoppedAt = Date.now();
    let next = 2_000;
    // 8 s of traffic while the server is down.
    while (Date.now() - stoppedAt < 8_000) {
      const to = Math.min(next + 100, 8_000);
      for (const record of records.slice(next, to)) store.append(record);
      next = to;
      await sleep(100);
    }
    expect(store.stats().pending).toBeGreaterThan(0);
    await server.resume();
    for (const record of records.slice(next)) store.append(record);
    await store.flush();
    const stats = store.stats();
    expect(stats).toMatchObject({ written: 10_000, failed: 0, dropped: 0, pending: 0 });
    // The outage was reported (nothing lost, so nothing counted as failed).
    expect(errors.some((e) => e.code === ErrorCode.STORE_FAILED)).toBe(true);
    expect(await readAll(store)).toHaveLength(10_000);
    await store.close();
  }, 45_000);

  it("counts and reports what is finally lost when the server is still down at close()", async () => {
    const store = await postgresStore({ connectionString: server.url, tablePrefix: prefix(), retryDelayMs: 50, maxRetryDelayMs: 200, connectTimeoutMs: 500, closeTimeoutMs: 1_000 });
    await server.halt();
    try {
      for (let i = 0; i < 50; i++) store.append(decisionRecord());
      const started = Date.now();
      const error = await store.close().then(
        () => undefined,
        (e: MoeRouterError) => e,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error?.code).toBe(ErrorCode.STORE_FAILED);
      expect(error?.message).toMatch(/^50 record\(s\) could not be written/);
      expect(store.stats()).toMatchObject({ failed: 50, pending: 0 });
    } finally {
      await server.resume();
    }
  }, 20_000);

  it("an awaited routing loop that never yields loses nothing: route() waits for the server", async () => {
    const store = await postgresStore({ connectionString: server.url, tablePrefix: prefix(), maxBufferedBytes: 1024 * 1024, highWaterBytes: 128 * 1024 });
    const tracker = createTracker({ store });
    const cascade = createCascade({ layers: [{ layer: lookupLayer(), threshold: 0.5 }], observers: [tracker] });
    // 10,000 lean records are ~3.5 MB: without backpressure most would be dropped at the 1 MiB limit.
    for (let i = 0; i < 10_000; i++) await cascade.route({ description: `task ${i}` });
    await tracker.close();
    expect(tracker.stats().store).toMatchObject({ written: 10_000, dropped: 0, failed: 0 });
  }, 30_000);

  it("a server that accepts TCP and never answers: opening fails within the connect timeout, routing goes on", async () => {
    const pids = server.freeze();
    try {
      const started = Date.now();
      const error = await openStore(`${server.url}?tablePrefix=${prefix()}`, { cwd: process.cwd() }).then(
        () => undefined,
        (e: MoeRouterError) => e,
      );
      // openStore uses the default 5 s connect timeout.
      expect(Date.now() - started).toBeLessThan(9_000);
      expect(error?.code).toBe(ErrorCode.STORE_FAILED);
    } finally {
      server.thaw(pids);
    }
  }, 20_000);

  it("a server that stops answering mid-run: route() goes on, close() ends in bounded time and reports the loss", async () => {
    const store = await postgresStore({
      connectionString: server.url,
      tablePrefix: prefix(),
      connectTimeoutMs: 500,
      statementTimeoutMs: 500,
      retryDelayMs: 50,
      maxRetryDelayMs: 200,
      closeTimeoutMs: 1_500,
    });
    const errors: MoeRouterError[] = [];
    const tracker = createTracker({ store, onError: (error) => errors.push(error) });
    const cascade = createCascade({ layers: [{ layer: lookupLayer(), threshold: 0.5 }], observers: [tracker] });
    await cascade.route({ description: "warm up" });
    await tracker.flush();
    const pids = server.freeze(true);
    try {
      const started = Date.now();
      for (let i = 0; i < 100; i++) await cascade.route({ description: `task ${i}` });
      expect(Date.now() - started).toBeLessThan(1_000);
      const error = await tracker.close().then(
        () => undefined,
        (e: MoeRouterError) => e,
      );
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(error?.code).toBe(ErrorCode.STORE_FAILED);
      expect(tracker.stats().store).toMatchObject({ written: 1, failed: 100 });
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      server.thaw(pids);
    }
  }, 20_000);
});
