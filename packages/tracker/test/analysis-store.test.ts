import { describe, expect, it } from "vitest";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { analyzeEvents, analyzeStore } from "../src/index.js";
import type { RoutingEvent } from "../src/records.js";
import { RIGHT_OUTCOME, makeEvent } from "./analysis-fixtures.js";

const events = [
  makeEvent({ attempts: [["keyword", "security-master", 0.9, true]], outcome: RIGHT_OUTCOME, timestamp: "2024-05-01T12:00:00Z" }),
  makeEvent({ attempts: [["keyword", "cicd-master", 0.95, true]], timestamp: "2024-04-01T12:00:00Z" }),
];

describe("analyzeStore", () => {
  it("streams the store through the analyzer and passes the window to read()", async () => {
    const ranges: unknown[] = [];
    const store = {
      async *read(range?: { since?: Date; until?: Date }): AsyncIterable<RoutingEvent> {
        ranges.push(range);
        yield* events;
      },
    };
    const report = await analyzeStore(store, { windowHours: 24, now: Date.parse("2024-05-01T13:00:00Z") });
    expect(ranges).toEqual([{ since: new Date("2024-04-30T13:00:00Z") }]);
    // The store ignored `since`; the analyzer still applies the window.
    expect(report.overall.decisions).toBe(1);
    expect(report.skipped).toBe(1);
    const all = await analyzeStore({ read: () => events });
    expect(all.overall.decisions).toBe(2);
  });

  it("turns an uncoded read failure into STORE_FAILED and keeps coded ones", async () => {
    const failing = {
      async *read(): AsyncIterable<RoutingEvent> {
        yield events[0]!;
        throw new Error("EACCES: permission denied");
      },
    };
    await expect(analyzeStore(failing)).rejects.toMatchObject({ code: ErrorCode.STORE_FAILED, message: expect.stringMatching(/permission denied.*Check that the store/) });
    const coded = {
      read: () => {
        throw new MoeRouterError(ErrorCode.NOT_FOUND, "no such log");
      },
    };
    await expect(analyzeStore(coded)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });

  it("analyses any iterable with analyzeEvents", async () => {
    const report = await analyzeEvents(events, { layer: "keyword" });
    expect(report.layers[0]!.accuracy).toEqual({ judged: 1, correct: 1, rate: 1 });
  });
});
