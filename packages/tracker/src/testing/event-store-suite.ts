/**
 * The shared store suite: every EventStore implementation runs these behaviours.
 * `open()` of a harness location may be called several times; each call is like another
 * process opening the same log or database.
 */
import assert from "node:assert/strict";
import { isMoeRouterError } from "@moe-router/core";
import type { EventStore, RoutingEvent } from "../index.js";
import { daysAgo, decisionRecord, outcomeRecord } from "./records.js";

/** The parts of a test runner the suite needs (vitest, node:test, jest all fit). */
export interface SuiteTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => unknown, timeout?: number): void;
}

/** A fresh, empty place for a store. */
export interface StoreLocation {
  open(): Promise<EventStore>;
}

/** What a store implementation provides to the suite. */
export interface StoreHarness {
  fresh(): Promise<StoreLocation>;
  /** Records in the bulk round-trip test. Default 5,000. */
  readonly bulkRecords?: number;
}

async function collect(iterable: AsyncIterable<RoutingEvent>): Promise<RoutingEvent[]> {
  const events: RoutingEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

/** Asserts that `actual` has (at least) the fields of `expected`, recursively. */
function assertMatches(actual: unknown, expected: unknown, path = "value"): void {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === "object", `${path} should be an object, got ${JSON.stringify(actual)}`);
    for (const [key, value] of Object.entries(expected)) assertMatches((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    return;
  }
  assert.deepEqual(actual, expected, `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isMoeRouterError(error, code), `expected ${code}, got ${String((error as Error)?.message ?? error)}`);
    return true;
  });
}

/**
 * Registers the shared behaviours for one store implementation. Stores a test opens are
 * closed after it. Assertions use node:assert, so any runner with `describe`/`it` fits.
 */
export function eventStoreSuite(test: SuiteTestApi, name: string, harness: () => StoreHarness): void {
  const it = (title: string, body: (open: (location: StoreLocation) => Promise<EventStore>) => Promise<void>) =>
    test.it(title, async () => {
      const opened: EventStore[] = [];
      const open = async (location: StoreLocation) => {
        const store = await location.open();
        opened.push(store);
        return store;
      };
      try {
        await body(open);
      } finally {
        for (const store of opened.splice(0)) await store.close().catch(() => undefined);
      }
    });
  test.describe(`${name}: shared store suite`, () => {
    it("reads back every field of appended decisions, newest first", async (open) => {
      const store = await open(await harness().fresh());
      const records = [decisionRecord(daysAgo(0.3)), decisionRecord(daysAgo(0.2)), decisionRecord(daysAgo(0.1))];
      for (const record of records) store.append(record);
      await store.flush();
      const events = await collect(store.read());
      assert.deepEqual(
        events.map((e) => e.event_id),
        records.map((r) => r.event_id).reverse(),
      );
      assert.deepEqual(events[2], records[0]);
      const attempts = events[0]!.layer_attempts;
      assertMatches(attempts[0], { layer_name: "keyword", success: false, error: { code: "MOE_LAYER_FAILED" } });
      assertMatches(attempts[1], { layer_name: "semantic", selected_master: "security-master", confidence: 0.82, success: true, latency_ms: 8.25 });
      assert.deepEqual(events[0]!.ab_test, { experiment: "thresholds-v2", variant: "candidate" });
      assert.ok(events[0]!.task_description.includes("🚀"));
      assertMatches(store.stats(), { appended: 3, written: 3, failed: 0, dropped: 0, pending: 0 });
    });

    it("joins outcomes by event id, the latest outcome winning", async (open) => {
      const store = await open(await harness().fresh());
      const first = decisionRecord(daysAgo(1));
      const second = decisionRecord(daysAgo(0.9));
      store.append(first);
      store.append(second);
      store.append(outcomeRecord(first.event_id, daysAgo(0.8), { was_correct_master: true }));
      const latest = outcomeRecord(first.event_id, daysAgo(0.7), { was_correct_master: false, user_corrected_to: "cicd-master" });
      store.append(latest);
      await store.flush();
      const events = await collect(store.read());
      assert.equal(events.length, 2);
      const joined = events.find((e) => e.event_id === first.event_id)!;
      assertMatches(joined.outcome, { task_completed: true, was_correct_master: false, user_corrected_to: "cicd-master" });
      assert.equal(joined.outcome_timestamp, latest.timestamp);
      assert.equal(events.find((e) => e.event_id === second.event_id)!.outcome, undefined);
    });

    it("takes outcomes from another process days later", async (open) => {
      const location = await harness().fresh();
      const router = await open(location);
      const decision = decisionRecord(daysAgo(3));
      router.append(decision);
      await router.close();
      const later = await open(location);
      assert.equal((await later.get(decision.event_id))?.event_id, decision.event_id);
      later.append(outcomeRecord(decision.event_id, new Date(), { task_completed: false, task_status: "failed" }));
      await later.close();
      const reader = await open(location);
      const [event] = await collect(reader.read());
      assertMatches(event?.outcome, { task_completed: false, task_status: "failed" });
    });

    it("reads a time window [since, until) with outcomes merged", async (open) => {
      const store = await open(await harness().fresh());
      const old = decisionRecord(daysAgo(5));
      const inside = decisionRecord(daysAgo(3));
      const recent = decisionRecord(daysAgo(1));
      for (const record of [old, inside, recent]) store.append(record);
      store.append(outcomeRecord(inside.event_id, daysAgo(0.5)));
      store.append(outcomeRecord(old.event_id, daysAgo(0.4)));
      await store.flush();
      const window = await collect(store.read({ since: daysAgo(4), until: daysAgo(2) }));
      assert.deepEqual(
        window.map((e) => e.event_id),
        [inside.event_id],
      );
      assert.equal(window[0]!.outcome?.was_correct_master, true);
      assert.deepEqual(
        (await collect(store.read({ since: daysAgo(2) }))).map((e) => e.event_id),
        [recent.event_id],
      );
      assert.deepEqual(
        (await collect(store.read({ until: daysAgo(4) }))).map((e) => e.event_id),
        [old.event_id],
      );
    });

    it("returns recent events newest first with outcomes, and validates the limit", async (open) => {
      const store = await open(await harness().fresh());
      const records = Array.from({ length: 5 }, (_, i) => decisionRecord(daysAgo(1 - i * 0.1)));
      for (const record of records) store.append(record);
      store.append(outcomeRecord(records[4]!.event_id));
      const recent = await store.recentEvents(2);
      assert.deepEqual(
        recent.map((e) => e.event_id),
        [records[4]!.event_id, records[3]!.event_id],
      );
      assert.equal(recent[0]!.outcome?.task_completed, true);
      assert.deepEqual(await store.recentEvents(0), []);
      assert.equal((await store.recentEvents(50)).length, 5);
      await rejectsWithCode(store.recentEvents(-1), "MOE_INVALID_CONFIG");
    });

    it("gets one event by id, with its outcome, or undefined", async (open) => {
      const store = await open(await harness().fresh());
      const records = [decisionRecord(daysAgo(2)), decisionRecord(daysAgo(1))];
      for (const record of records) store.append(record);
      store.append(outcomeRecord(records[0]!.event_id, new Date(), { quality_score: 0.42 }));
      await store.flush();
      const found = await store.get(records[0]!.event_id);
      assertMatches(found, { event_id: records[0]!.event_id, selected_master: "security-master", outcome: { quality_score: 0.42 } });
      assert.equal(await store.get("no-such-event"), undefined);
    });

    it("sees its own appends in reads before flush() is called", async (open) => {
      const store = await open(await harness().fresh());
      const record = decisionRecord();
      store.append(record);
      assert.deepEqual(
        (await collect(store.read())).map((e) => e.event_id),
        [record.event_id],
      );
    });

    it("keeps thousands of records in order", async (open) => {
      const bulk = harness().bulkRecords ?? 5_000;
      const store = await open(await harness().fresh());
      const start = daysAgo(2).getTime();
      const ids: string[] = [];
      for (let i = 0; i < bulk; i++) {
        const record = decisionRecord(new Date(start + i * 1000));
        ids.push(record.event_id);
        store.append(record);
        if (i % 3 === 0) store.append(outcomeRecord(record.event_id, new Date(start + i * 1000 + 500)));
      }
      await store.flush();
      const events = await collect(store.read());
      assert.deepEqual(
        events.map((e) => e.event_id),
        ids.reverse(),
      );
      assert.equal(events.filter((e) => e.outcome).length, Math.ceil(bulk / 3));
    });

    it("drops appends after close() without throwing, and counts them", async (open) => {
      const store = await open(await harness().fresh());
      const errors: string[] = [];
      store.onError((error) => errors.push(error.code));
      await store.close();
      assert.doesNotThrow(() => store.append(decisionRecord()));
      assert.equal(store.stats().dropped, 1);
      assert.deepEqual(errors, ["MOE_CLOSED"]);
    });

    it("rejects a bad read window with a coded error", async (open) => {
      const store = await open(await harness().fresh());
      const read = (options: object) => collect(store.read(options));
      await rejectsWithCode(read({ since: new Date("nope") }), "MOE_INVALID_CONFIG");
      await rejectsWithCode(read({ since: daysAgo(1), until: daysAgo(2) }), "MOE_INVALID_CONFIG");
      await rejectsWithCode(read({ from: daysAgo(1) }), "MOE_UNKNOWN_OPTION");
    });
  });
}
