import { isMoeRouterError } from "@moe-router/core";
import { describe, expect, it } from "vitest";
import { generateSampleRecords, parseDegradation, type DecisionRecord } from "../src/index.js";

const END = new Date("2026-11-20T00:00:00.000Z");

describe("generate --degrade", () => {
  it("reads the degradation specs, times relative to the end or absolute", () => {
    expect(parseDegradation("keyword:0.6@-24h", END)).toEqual({ layer: "keyword", effect: "accuracy", value: 0.6, from: new Date("2026-11-19T00:00:00.000Z") });
    expect(parseDegradation("semantic:errors=0.05@-90m", END)).toMatchObject({ layer: "semantic", effect: "errors", value: 0.05, from: new Date("2026-11-19T22:30:00.000Z") });
    expect(parseDegradation("rag:latency=x3@2026-11-18T06:00:00Z", END)).toMatchObject({ effect: "latency", value: 3, from: new Date("2026-11-18T06:00:00Z") });
    expect(parseDegradation("tasks:vague=0.5@-2d", END)).toMatchObject({ effect: "vague", value: 0.5 });
    expect(parseDegradation("tasks:outcomes=0.1@-2d", END)).toMatchObject({ effect: "outcomes", value: 0.1 });
    expect(parseDegradation("tasks:security-master=0.6@-1d", END)).toMatchObject({ effect: "mix", expert: "security-master", value: 0.6 });
    for (const bad of ["keyword:0.6", "keyword:1.5@-1h", "keyword:0.6@yesterday", "keyword:speed=2@-1h", "rag:latency=0@-1h", "tasks:0.5@-1h"]) {
      let code = "none";
      try {
        parseDegradation(bad, END);
      } catch (error) {
        code = isMoeRouterError(error) ? error.code : "uncoded";
        expect((error as Error).message).toContain('e.g. "keyword:0.6@-24h"');
      }
      expect(code, bad).toBe("MOE_INVALID_CONFIG");
    }
  });

  it("changes only what it says, only from its time on", () => {
    const from = new Date("2026-11-19T00:00:00.000Z");
    const plain = [...generateSampleRecords({ count: 4000, seed: 2, days: 2, end: END })];
    const degraded = [...generateSampleRecords({ count: 4000, seed: 2, days: 2, end: END, degrade: [parseDegradation("semantic:errors=0.5@-24h", END)] })];
    const decisions = (records: typeof plain) => records.filter((r): r is DecisionRecord => r.record_type === "decision");
    const before = (records: typeof plain) => decisions(records).filter((r) => Date.parse(r.timestamp) < from.getTime());
    // Identical before the start: the same random stream.
    expect(before(degraded)).toEqual(before(plain));
    const after = decisions(degraded).filter((r) => Date.parse(r.timestamp) >= from.getTime());
    const semantic = after.flatMap((r) => r.layer_attempts.filter((a) => a.layer_name === "semantic" && !a.shadow));
    const errored = semantic.filter((a) => a.error?.code === "MOE_LAYER_FAILED");
    expect(errored.length / semantic.length).toBeGreaterThan(0.4);
    expect(errored.length / semantic.length).toBeLessThan(0.6);
    expect(errored.every((a) => a.success === false && a.selected_master === undefined)).toBe(true);
  });
});
