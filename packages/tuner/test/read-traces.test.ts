import type { RoutingEvent } from "@moe-router/tracker";
import { describe, expect, it } from "vitest";
import { proposeThresholds, readTraces } from "../src/index.js";

function decision(id: number, synthetic: boolean, right: boolean): RoutingEvent {
  return {
    schema_version: 2,
    record_type: "decision",
    event_id: `e${id}`,
    timestamp: new Date(Date.UTC(2026, 10, 20, 0, id)).toISOString(),
    ...(synthetic ? { synthetic: true } : {}),
    task_description: "t",
    selected_master: "security-master",
    routing_layer: "keyword",
    confidence: 0.9,
    layer_attempts: [{ layer_name: "keyword", selected_master: "security-master", confidence: 0.9, threshold: 0.85, success: true }],
    outcome: { task_completed: true, was_correct_master: right },
  };
}

/** A store over a fixed list, honouring `since` like the tracker's stores. */
function store(events: RoutingEvent[]) {
  return {
    async *read(options: { since?: Date } = {}) {
      for (const event of events) if (!options.since || Date.parse(event.timestamp) >= options.since.getTime()) yield event;
    },
  };
}

describe("readTraces: what tune tunes on (issue 13)", () => {
  const events = [...Array.from({ length: 40 }, (_, i) => decision(i, false, true)), ...Array.from({ length: 500 }, (_, i) => decision(100 + i, true, false))];

  it("leaves synthetic decisions out by default and counts them; includes them when asked", async () => {
    const left = await readTraces(store(events));
    expect(left.traces).toHaveLength(40);
    expect(left.syntheticExcluded).toBe(500);
    expect(left.traces.every((trace) => trace.truth.expert === "security-master")).toBe(true);
    const all = await readTraces(store(events), { synthetic: "include" });
    expect(all.traces).toHaveLength(540);
    expect(all.syntheticExcluded).toBe(0);
    const since = await readTraces(store(events), { since: new Date(Date.UTC(2026, 10, 20, 0, 30)) });
    expect(since.traces).toHaveLength(10);
  });

  it("so sample data never reaches a proposal unless asked", async () => {
    const options = { layers: ["keyword"], current: { keyword: 0.85 }, minSamples: 30 };
    const real = proposeThresholds((await readTraces(store(events))).traces, options);
    const withSamples = proposeThresholds((await readTraces(store(events), { synthetic: "include" })).traces, options);
    expect(real.traces).toBe(40);
    expect(withSamples.traces).toBe(540);
    expect(real.layers[0]!.samples).toBe(40);
    expect(withSamples.layers[0]!.samples).toBe(540);
  });

  it("refuses a bad synthetic option", async () => {
    await expect(readTraces(store(events), { synthetic: "all" as never })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });
});
