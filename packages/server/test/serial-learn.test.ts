/**
 * Issue 13: online learning from this instance's corrections and the shared corrections of
 * other instances went into router.learn() on two unserialised paths; both now go through one.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CorrectionsPage, RoutingEvent } from "@moe-router/tracker";
import { createServer, type MoeRouterServer } from "../src/index.js";
import { serialLearn } from "../src/internal/serial-learn.js";
import { testRouter } from "./support/router.js";

let service: MoeRouterServer | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A learn() that takes a while and records how many runs overlapped. */
function slowLearner() {
  const state = { inFlight: 0, maxInFlight: 0, calls: 0 };
  const learn = async () => {
    state.calls++;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    await pause(40);
    state.inFlight--;
    return { corrections: 0, layers: [] };
  };
  return { state, learn };
}

describe("one serialised learn path", () => {
  it("serialLearn runs calls one after another, in order, past a failing one", async () => {
    const order: string[] = [];
    let running = 0;
    const learn = serialLearn(async (since) => {
      running++;
      expect(running).toBe(1);
      await pause(10);
      order.push(String(since?.getTime() ?? "none"));
      running--;
      if (since?.getTime() === 2) throw new Error("boom");
    });
    const runs = [learn(new Date(1)), learn(new Date(2)), learn(undefined)];
    await expect(runs[1]).rejects.toThrow("boom");
    await Promise.all([runs[0], runs[2]]);
    expect(order).toEqual(["1", "2", "none"]);
  });

  it("online learning and shared corrections never run router.learn() at the same time", async () => {
    const { state, learn } = slowLearner();
    const base = testRouter();
    let cursor = 0;
    // A shared store whose every poll finds a correction another instance recorded.
    const store = Object.assign(Object.create(base.store), {
      async correctionsAfter(): Promise<CorrectionsPage> {
        cursor++;
        const event: RoutingEvent = {
          schema_version: 2,
          record_type: "decision",
          event_id: `other-${cursor}`,
          timestamp: new Date().toISOString(),
          task_description: `elsewhere ${cursor}`,
          selected_master: "coordinator-master",
          routing_layer: "clarification",
          confidence: 1,
          layer_attempts: [],
          outcome: { task_completed: true, user_corrected_to: "security-master" },
          outcome_timestamp: new Date().toISOString(),
        };
        return { corrections: [{ cursor, event }], cursor };
      },
    });
    const router = { ...base, store, learn };
    service = await createServer({ router, learnBatchSize: 1, learnDelayMs: 1, sharedCorrections: { intervalMs: 100 }, logLevel: "silent" });
    const { app } = service;
    for (let i = 0; i < 8; i++) {
      const routed = (await app.inject({ method: "POST", url: "/v1/route", payload: { description: `Deploy service ${i}` } })).json();
      await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: routed.event_id, completed: true, corrected_to: "development-master" } });
      await pause(30);
    }
    await pause(300);
    expect(cursor).toBeGreaterThan(1); // the shared path ran
    expect(state.calls).toBeGreaterThan(cursor); // and the online path too
    expect(state.maxInFlight).toBe(1);
  });
});
