import { describe, expect, it } from "vitest";
import { createAnalyzer, generateSampleRecords, renderDashboard, timeSeriesEvents, type RoutingEvent } from "../src/index.js";
import { stripAnsi } from "../src/render/internal/ansi.js";
import { makeEvent, sampleEvents } from "./analysis-fixtures.js";

const NOW = Date.parse("2024-05-02T00:00:00Z");

function reportOf(events: RoutingEvent[]) {
  const analyzer = createAnalyzer({ now: NOW });
  for (const event of events) analyzer.add(event);
  return analyzer.result();
}

/** Rows and columns as a terminal shows them: escapes stripped, characters (not bytes) counted. */
function size(frame: string): { rows: number; columns: number } {
  const lines = stripAnsi(frame).replace(/\n$/, "").split("\n");
  return { rows: lines.length, columns: Math.max(...lines.map((line) => [...line].length)) };
}

/** Events whose attempts name `layers` layers, with long layer and expert names. */
function manyLayers(layers: number, count: number): RoutingEvent[] {
  return Array.from({ length: count }, (_, i) =>
    makeEvent({
      attempts: Array.from({ length: layers }, (_, l) => [`layer-with-a-rather-long-name-${l}`, `expert-with-a-long-name-${(i + l) % 9}`, 0.5, l === i % layers] as const),
      timestamp: new Date(NOW - (i + 1) * 60_000).toISOString(),
      outcome: { task_completed: true, was_correct_master: i % 3 !== 0 },
    }),
  );
}

describe("renderDashboard fits an 80 x 24 terminal", () => {
  it.each([
    ["the sample traffic", () => sampleEvents(600)],
    ["two layers", () => manyLayers(2, 200)],
    ["twelve layers with long names and nine experts", () => manyLayers(12, 400)],
    ["no events", () => []],
  ])("%s, with and without trends, coloured or not", async (_, events) => {
    const all = events();
    const report = reportOf(all);
    const series = await timeSeriesEvents(all, { now: NOW, windowHours: 24 });
    for (const options of [{}, { series }, { series, color: true, status: "Ctrl-C to quit · refreshing every 2 s · store /a/very/long/path/to/the/event/log/events.jsonl" }]) {
      const frame = renderDashboard(report, options);
      expect(size(frame).rows).toBeLessThanOrEqual(23); // the 24th row holds the cursor
      expect(size(frame).columns).toBeLessThanOrEqual(80);
      expect(frame.split("\n")[0]).toContain("moe-router dashboard");
      if ("status" in options) expect(stripAnsi(frame).split("\n")[1]).toContain("Ctrl-C to quit · refreshing every 2 s");
    }
  });

  it("says how many layers it left out, and shows the trends it has room for", async () => {
    const all = manyLayers(12, 400);
    const frame = stripAnsi(renderDashboard(reportOf(all), { series: await timeSeriesEvents(all, { now: NOW, windowHours: 24 }) }));
    expect(frame).toMatch(/… \d+ more layers \(moe-router analyze shows all\)/);
    const sample = stripAnsi(renderDashboard(reportOf(sampleEvents(600)), { series: await timeSeriesEvents(sampleEvents(600), { now: NOW, windowHours: 48 }) }));
    expect(sample).toMatch(/Trends\n {2}by hour/);
    for (const label of ["decisions", "accuracy"]) expect(sample).toContain(`  ${label}`);
  });

  it("keeps within the frame for generated logs of every size", async () => {
    for (const count of [1, 50, 3_000]) {
      const records = [...generateSampleRecords({ count, seed: count, days: 2, end: new Date(NOW) })];
      const decisions = records.filter((r) => r.record_type === "decision") as RoutingEvent[];
      const frame = renderDashboard(reportOf(decisions), { series: await timeSeriesEvents(decisions, { now: NOW, windowHours: 48 }) });
      expect(size(frame)).toEqual({ rows: expect.any(Number), columns: expect.any(Number) });
      expect(size(frame).rows).toBeLessThanOrEqual(23);
      expect(size(frame).columns).toBeLessThanOrEqual(80);
    }
  });
});
