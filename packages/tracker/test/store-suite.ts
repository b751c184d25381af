/**
 * The shared store suite: every EventStore implementation runs these behaviours.
 * `open()` of a harness location may be called several times; each call is like another
 * process opening the same log or database.
 */
import { isMoeRouterError } from "@moe-router/core";
import { afterEach, describe, expect, it } from "vitest";
import type { EventStore, RoutingEvent } from "../src/index.js";
import { daysAgo, decisionRecord, outcomeRecord } from "./support/records.js";

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

/** Registers the shared behaviours for one store implementation. */
export function storeSuite(name: string, harness: () => StoreHarness): void {
  describe(`${name}: shared store suite`, () => {
    const opened: EventStore[] = [];
    const open = async (location: StoreLocation) => {
      const store = await location.open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    });

    it("reads back every field of appended decisions, newest first", async () => {
      const store = await open(await harness().fresh());
      const records = [decisionRecord(daysAgo(0.3)), decisionRecord(daysAgo(0.2)), decisionRecord(daysAgo(0.1))];
      for (const record of records) store.append(record);
      await store.flush();
      const events = await collect(store.read());
      expect(events.map((e) => e.event_id)).toEqual(records.map((r) => r.event_id).reverse());
      expect(events[2]).toEqual(records[0]);
      const attempts = events[0]!.layer_attempts;
      expect(attempts[0]).toMatchObject({ layer_name: "keyword", success: false, error: { code: "MOE_LAYER_FAILED" } });
      expect(attempts[1]).toMatchObject({ layer_name: "semantic", selected_master: "security-master", confidence: 0.82, success: true, latency_ms: 8.25 });
      expect(events[0]!.ab_test).toEqual({ experiment: "thresholds-v2", variant: "candidate" });
      expect(events[0]!.task_description).toContain("🚀");
      expect(store.stats()).toMatchObject({ appended: 3, written: 3, failed: 0, dropped: 0, pending: 0 });
    });

    it("joins outcomes by event id, the latest outcome winning", async () => {
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
      expect(events).toHaveLength(2);
      const joined = events.find((e) => e.event_id === first.event_id)!;
      expect(joined.outcome).toMatchObject({ task_completed: true, was_correct_master: false, user_corrected_to: "cicd-master" });
      expect(joined.outcome_timestamp).toBe(latest.timestamp);
      expect(events.find((e) => e.event_id === second.event_id)!.outcome).toBeUndefined();
    });

    it("takes outcomes from another process days later", async () => {
      const location = await harness().fresh();
      const router = await open(location);
      const decision = decisionRecord(daysAgo(3));
      router.append(decision);
      await router.close();
      const later = await open(location);
      expect((await later.get(decision.event_id))?.event_id).toBe(decision.event_id);
      later.append(outcomeRecord(decision.event_id, new Date(), { task_completed: false, task_status: "failed" }));
      await later.close();
      const reader = await open(location);
      const [event] = await collect(reader.read());
      expect(event?.outcome).toMatchObject({ task_completed: false, task_status: "failed" });
    });

    it("reads a time window [since, until) with outcomes merged", async () => {
      const store = await open(await harness().fresh());
      const old = decisionRecord(daysAgo(5));
      const inside = decisionRecord(daysAgo(3));
      const recent = decisionRecord(daysAgo(1));
      for (const record of [old, inside, recent]) store.append(record);
      store.append(outcomeRecord(inside.event_id, daysAgo(0.5)));
      store.append(outcomeRecord(old.event_id, daysAgo(0.4)));
      await store.flush();
      const window = await collect(store.read({ since: daysAgo(4), until: daysAgo(2) }));
      expect(window.map((e) => e.event_id)).toEqual([inside.event_id]);
      expect(window[0]!.outcome?.was_correct_master).toBe(true);
      expect((await collect(store.read({ since: daysAgo(2) }))).map((e) => e.event_id)).toEqual([recent.event_id]);
      expect((await collect(store.read({ until: daysAgo(4) }))).map((e) => e.event_id)).toEqual([old.event_id]);
    });

    it("returns recent events newest first with outcomes, and validates the limit", async () => {
      const store = await open(await harness().fresh());
      const records = Array.from({ length: 5 }, (_, i) => decisionRecord(daysAgo(1 - i * 0.1)));
      for (const record of records) store.append(record);
      store.append(outcomeRecord(records[4]!.event_id));
      const recent = await store.recentEvents(2);
      expect(recent.map((e) => e.event_id)).toEqual([records[4]!.event_id, records[3]!.event_id]);
      expect(recent[0]!.outcome?.task_completed).toBe(true);
      expect(await store.recentEvents(0)).toEqual([]);
      expect(await store.recentEvents(50)).toHaveLength(5);
      await expect(store.recentEvents(-1)).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_INVALID_CONFIG"));
    });

    it("gets one event by id, with its outcome, or undefined", async () => {
      const store = await open(await harness().fresh());
      const records = [decisionRecord(daysAgo(2)), decisionRecord(daysAgo(1))];
      for (const record of records) store.append(record);
      store.append(outcomeRecord(records[0]!.event_id, new Date(), { quality_score: 0.42 }));
      await store.flush();
      const found = await store.get(records[0]!.event_id);
      expect(found).toMatchObject({ event_id: records[0]!.event_id, selected_master: "security-master", outcome: { quality_score: 0.42 } });
      expect(await store.get("no-such-event")).toBeUndefined();
    });

    it("sees its own appends in reads before flush() is called", async () => {
      const store = await open(await harness().fresh());
      const record = decisionRecord();
      store.append(record);
      expect((await collect(store.read())).map((e) => e.event_id)).toEqual([record.event_id]);
    });

    it("keeps thousands of records in order", async () => {
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
      expect(events.map((e) => e.event_id)).toEqual(ids.reverse());
      expect(events.filter((e) => e.outcome).length).toBe(Math.ceil(bulk / 3));
    });

    it("drops appends after close() without throwing, and counts them", async () => {
      const store = await open(await harness().fresh());
      const errors: string[] = [];
      store.onError((error) => errors.push(error.code));
      await store.close();
      expect(() => store.append(decisionRecord())).not.toThrow();
      expect(store.stats().dropped).toBe(1);
      expect(errors).toEqual(["MOE_CLOSED"]);
    });

    it("rejects a bad read window with a coded error", async () => {
      const store = await open(await harness().fresh());
      const read = (options: object) => collect(store.read(options as never));
      await expect(read({ since: new Date("nope") })).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_INVALID_CONFIG"));
      await expect(read({ since: daysAgo(1), until: daysAgo(2) })).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_INVALID_CONFIG"));
      await expect(read({ from: daysAgo(1) })).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_UNKNOWN_OPTION"));
    });
  });
}
