import { analyzeEvents, timeSeriesEvents, type RoutingEvent } from "@moe-router/tracker";
import { describe, expect, it } from "vitest";
import { buildSnapshot, computes } from "../src/dashboard/snapshot.js";

const NOW = Date.parse("2026-11-30T12:30:30.000Z");

function event(i: number, minutesAgo: number): RoutingEvent {
  const clarified = i % 7 === 0;
  return {
    schema_version: 1,
    record_type: "decision",
    event_id: `evt-${i}`,
    timestamp: new Date(NOW - minutesAgo * 60_000).toISOString(),
    task_description: `task ${i}`,
    selected_master: clarified ? "coordinator-master" : "cicd-master",
    routing_layer: clarified ? "clarification" : "keyword",
    confidence: 0.9,
    layer_attempts: [{ layer_name: "keyword", selected_master: "cicd-master", confidence: 0.9, success: !clarified, latency_ms: 0.05 }],
    total_latency_ms: 2,
    ...(i % 3 === 0 ? { outcome: { task_completed: true, was_correct_master: i % 2 === 0 } } : {}),
  };
}

describe("dashboard on a store that computes (PostgreSQL)", () => {
  const events = Array.from({ length: 400 }, (_, i) => event(i, (i * 7) % (30 * 60))).sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
  const options = { windowHours: 24, recent: 5, descriptionChars: 40, now: NOW };

  it("asks the store for its analysis, series and recent decisions instead of reading every event, with the same figures", async () => {
    let reads = 0;
    const streaming = { read: () => (reads++, events) };
    const computing = {
      read: () => {
        throw new Error("a computing store must not be streamed");
      },
      analyze: (o: Parameters<typeof analyzeEvents>[1]) => analyzeEvents(events, o),
      timeSeries: (o: Parameters<typeof timeSeriesEvents>[1]) => timeSeriesEvents(events, o),
      recentEvents: async (limit: number) => events.slice(0, limit),
    };
    expect(computes(computing)).toBe(true);
    expect(computes(streaming)).toBe(false);
    const fromStore = await buildSnapshot(computing, options);
    const fromRead = await buildSnapshot(streaming, options);
    expect(reads).toBe(1);
    expect(fromStore).toEqual(fromRead);
    expect(fromStore.hourly).toHaveLength(24);
    expect(fromStore.minutely).toHaveLength(60);
    expect(fromStore.totals.decisions).toBeGreaterThan(0);
  });
});
