import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCascade, isMoeRouterError, lookupLayer, type Layer } from "@moe-router/core";
import { afterAll, describe, expect, it } from "vitest";
import { createTracker, jsonlStore, type EventStore, type OutcomeInput } from "../src/index.js";
import { daysAgo, decisionRecord } from "./support/records.js";

const root = mkdtempSync(join(tmpdir(), "moe-tracker-"));
let files = 0;
const freshPath = () => join(root, `t${++files}`, "events.jsonl");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const failing: Layer = {
  name: "broken",
  route() {
    throw new Error("model file missing");
  },
};

function cascadeWith(observers: object[], experiment = false) {
  return createCascade({
    layers: [
      { layer: failing, threshold: 0.5 },
      { layer: lookupLayer({ name: "keyword", examples: [{ text: "Deploy API to production", expert: "cicd-master" }] }), threshold: 0.85 },
    ],
    experts: ["security-master", "cicd-master", "inventory-master", "development-master", "coordinator-master"],
    observers: observers,
    ...(experiment ? { experiment: { name: "ab-1", share: 1, candidateThresholds: { keyword: 0.8 } } } : {}),
  });
}

const expectCode = (code: string) => (error: unknown) => isMoeRouterError(error, code);

describe("tracker: recording decisions", () => {
  it("records each decision with every layer attempt, the A/B variant and the task", async () => {
    const tracker = createTracker({ store: jsonlStore({ path: freshPath() }) });
    const cascade = cascadeWith([tracker], true);
    const decision = await cascade.route({ id: "task-9", description: "Deploy API to production", metadata: { priority: "high" } });
    const [event] = await tracker.getRecentEvents(5);
    expect(event).toMatchObject({
      event_id: decision.eventId,
      task_id: "task-9",
      task_description: "Deploy API to production",
      task_metadata: { priority: "high" },
      selected_master: "cicd-master",
      routing_layer: "keyword",
      confidence: 1,
      ab_test: { experiment: "ab-1", variant: "candidate" },
      thresholds: { broken: 0.5, keyword: 0.8 },
    });
    expect(event!.layer_attempts).toHaveLength(2);
    expect(event!.layer_attempts[0]).toMatchObject({ layer_name: "broken", success: false, error: { code: "MOE_LAYER_FAILED", message: "model file missing" } });
    expect(event!.layer_attempts[1]).toMatchObject({ layer_name: "keyword", selected_master: "cicd-master", confidence: 1, success: true, metadata: { matched: true } });
    expect(event!.layer_attempts[1]!.latency_ms).toBeGreaterThanOrEqual(0);
    expect(tracker.stats()).toMatchObject({ decisions: 1, trackingErrors: 0 });
    await tracker.close();
  });

  it("records clarification decisions with their reason", async () => {
    const tracker = createTracker({ store: jsonlStore({ path: freshPath() }) });
    await cascadeWith([tracker]).route({ description: "Something nobody matches" });
    const [event] = await tracker.getRecentEvents(1);
    expect(event).toMatchObject({ routing_layer: "clarification", selected_master: "coordinator-master", clarification: { reason: expect.any(String) } });
    await tracker.close();
  });

  it("never fails routing when the store fails: counts it and reports it", async () => {
    const dir = mkdtempSync(join(root, "blocked-"));
    writeFileSync(join(dir, "file"), "");
    const errors: string[] = [];
    const tracker = createTracker({ store: jsonlStore({ path: join(dir, "file", "events.jsonl") }), onError: (e) => errors.push(e.code) });
    const cascade = cascadeWith([tracker]);
    for (let i = 0; i < 3; i++) await expect(cascade.route({ description: "Deploy API to production" })).resolves.toMatchObject({ expert: "cicd-master" });
    await expect(tracker.flush()).rejects.toSatisfy(expectCode("MOE_STORE_FAILED"));
    expect(tracker.stats().store.failed).toBe(3);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((code) => code === "MOE_STORE_FAILED")).toBe(true);
    await tracker.close().catch(() => undefined);
  });

  it("never fails routing when the store throws, or when onError throws", async () => {
    const throwing = {
      ...jsonlStore({ path: freshPath() }),
      append: () => {
        throw new Error("disk on fire");
      },
    } as EventStore;
    const tracker = createTracker({
      store: throwing,
      onError: () => {
        throw new Error("handler bug");
      },
    });
    const cascade = cascadeWith([tracker]);
    await expect(cascade.route({ description: "Deploy API to production" })).resolves.toMatchObject({ expert: "cicd-master" });
    expect(tracker.stats()).toMatchObject({ decisions: 0, trackingErrors: 1 });
    expect(cascade.stats().observerErrors).toBe(0);
  });
});

describe("tracker: outcomes", () => {
  it("records an outcome, joined by event id, as its own appended record", async () => {
    const tracker = createTracker({ store: jsonlStore({ path: freshPath() }) });
    const decision = cascadeWith([tracker]).routeSync({ description: "Deploy API to production" });
    const { record, event } = await tracker.recordOutcome(decision.eventId, { completed: true, correct: true, minutes: 45, quality: 0.95 });
    expect(record).toMatchObject({
      record_type: "outcome",
      event_id: decision.eventId,
      outcome: { task_completed: true, task_status: "completed", was_correct_master: true, completion_time_minutes: 45, quality_score: 0.95 },
    });
    expect(event?.outcome).toEqual(record.outcome);
    const [merged] = await tracker.getRecentEvents(1);
    expect(merged!.outcome).toEqual(record.outcome);
    expect(merged!.outcome_timestamp).toBe(record.timestamp);
    await tracker.close();
  });

  it("takes an outcome from another process days later", async () => {
    const path = freshPath();
    const router = jsonlStore({ path });
    const old = decisionRecord(daysAgo(4));
    router.append(old);
    await router.close();
    const later = createTracker({ store: jsonlStore({ path }) });
    await later.recordOutcome(old.event_id, { completed: false, correctedTo: "cicd-master", minutes: 90 });
    const [event] = await later.getRecentEvents(1);
    expect(event!.outcome).toMatchObject({ task_completed: false, task_status: "failed", was_correct_master: false, user_corrected_to: "cicd-master", completion_time_minutes: 90 });
    await later.close();
  });

  it("rejects unknown event ids and contradictory or out-of-range outcomes", async () => {
    const tracker = createTracker({ store: jsonlStore({ path: freshPath() }), experts: ["security-master", "cicd-master"] });
    const decision = cascadeWith([tracker]).routeSync({ description: "Deploy API to production" });
    const outcome = (input: object, id = decision.eventId) => tracker.recordOutcome(id, input as OutcomeInput);
    await expect(outcome({ completed: true }, "no-such-id")).rejects.toSatisfy(expectCode("MOE_NOT_FOUND"));
    await expect(outcome({ completed: true, quality: 1.5 })).rejects.toSatisfy(expectCode("MOE_INVALID_CONFIG"));
    await expect(outcome({ completed: true, minutes: -3 })).rejects.toSatisfy(expectCode("MOE_INVALID_CONFIG"));
    await expect(outcome({ completed: true, correct: true, correctedTo: "security-master" })).rejects.toSatisfy(expectCode("MOE_INVALID_CONFIG"));
    await expect(outcome({ completed: true, correctedTo: "cicd-master" })).rejects.toSatisfy(expectCode("MOE_INVALID_CONFIG"));
    await expect(outcome({ completed: true, correctedTo: "chef-master" })).rejects.toThrow(/Known experts: security-master, cicd-master/);
    await expect(outcome({ completed: "yes" })).rejects.toSatisfy(expectCode("MOE_INVALID_CONFIG"));
    await expect(outcome({ completed: true, qualty: 1 })).rejects.toSatisfy(expectCode("MOE_UNKNOWN_OPTION"));
    const corrected = await outcome({ completed: true, correctedTo: "security-master" });
    expect(corrected.record.outcome).toMatchObject({ was_correct_master: false, user_corrected_to: "security-master" });
    expect(tracker.stats().outcomes).toBe(1);
    await tracker.close();
  });

  it("skips the event lookup when verifyOutcomes is false", async () => {
    const tracker = createTracker({ store: jsonlStore({ path: freshPath() }), verifyOutcomes: false });
    const { event } = await tracker.recordOutcome("recorded-elsewhere", { completed: true });
    expect(event).toBeUndefined();
    await tracker.close();
  });

  it("rejects bad tracker options", () => {
    expect(() => createTracker({} as never)).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(() => createTracker({ store: jsonlStore({ path: freshPath() }), onErr: () => 1 } as never)).toThrow(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION" }));
  });
});
