import { describe, expect, it } from "vitest";
import { generateSampleRecords, parseDegradation, timeSeriesStore } from "@moe-router/tracker";
import { evaluateAlerts, resolveAlertRules, type AlertRule } from "../src/index.js";
import { Replay } from "./support/replay.js";

const HOUR = 3_600_000;
const END = new Date("2026-11-20T00:00:00.000Z");
/** Every degradation starts here: 48 hours before the end of the log. */
const START = END.getTime() - 48 * HOUR;

/** The rules plus coverage and outcome-coverage rules. */
const RULES: AlertRule[] = [
  { name: "keyword-accuracy", metric: "accuracy", layer: "keyword", window: "24h", below: 0.85, min_samples: 50 },
  { name: "clarification-spike", metric: "clarification_rate", window: "24h", above: 0.3, min_samples: 50 },
  { name: "semantic-errors", metric: "error_rate", layer: "semantic", window: "1h", above: 0.01 },
  { name: "slow-rag", metric: "latency_p95_ms", layer: "rag", window: "1h", above: 200 },
  { name: "drift", metric: "expert_shift", window: "24h", baseline: "7d", above: 0.2 },
  { name: "coverage", metric: "coverage", window: "24h", below: 0.7, min_samples: 50 },
  { name: "outcomes", metric: "outcome_coverage", window: "24h", below: 0.4, min_samples: 50 },
];

/**
 * Evaluates `names` every `stepMs` from `from` to the end of the log, as a live monitor would
 * have (each time seeing only what had been recorded by then); returns the times each fired.
 */
async function firings(replay: Replay, names: readonly string[], from: number, stepMs: number): Promise<Map<string, number[]>> {
  const rules = resolveAlertRules(RULES.filter((rule) => names.includes(rule.name)));
  const fired = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let at = from; at <= END.getTime(); at += stepMs) {
    for (const evaluation of await evaluateAlerts(rules, replay.at(at), { now: at })) {
      if (evaluation.state === "firing") fired.get(evaluation.rule)!.push(at);
    }
  }
  return fired;
}

/**
 * Three seven-day logs (about 360 decisions an hour, no semantic drift: only the injected
 * changes move), each degradation starting 48 hours before the end. Degradations that touch
 * different rules share a log: keyword accuracy, semantic errors, RAG latency and outcome
 * reporting are independent; vague tasks and the expert mix each move several rules.
 */
const LOGS: [string[], [string, number][], number][] = [
  // Fewer outcomes also mean fewer judged keyword decisions: a wider interval, a later firing.
  [
    ["keyword:0.6", "semantic:errors=0.1", "rag:latency=x5", "tasks:outcomes=0.15"],
    [
      ["keyword-accuracy", 18],
      ["semantic-errors", 1],
      ["slow-rag", 1],
      ["outcomes", 24],
    ],
    HOUR,
  ],
  [
    ["tasks:vague=0.45"],
    [
      ["clarification-spike", 12],
      ["coverage", 12],
    ],
    HOUR,
  ],
  // Every 2 hours: each evaluation reads the 7d baseline.
  [["tasks:security-master=0.6"], [["drift", 18]], 2 * HOUR],
];

function replayOf(specs: readonly string[]): Replay {
  const degrade = specs.map((spec) => parseDegradation(`${spec}@-48h`, END));
  for (const d of degrade) expect(d.from.getTime()).toBe(START);
  return new Replay(generateSampleRecords({ count: 60_000, seed: 11, days: 7, end: END, drift: 0, degrade }));
}

describe("alerts on logs with a known degradation at a known time", () => {
  it.each(LOGS)(
    "%s: each rule fires after the degradation starts, in time, and never before",
    async (specs, expectations, stepMs) => {
      const replay = replayOf(specs);
      const names = expectations.map(([name]) => name);
      // From a day before the start (evaluations that must stay quiet) to the end.
      const fired = await firings(replay, names, START - 24 * HOUR, stepMs);
      for (const [name, withinHours] of expectations) {
        const times = fired.get(name)!;
        expect(times.length, `${name} never fired`).toBeGreaterThan(0);
        expect(times[0]!, `${name} fired before the degradation`).toBeGreaterThan(START);
        expect(times[0]! - START, `${name} fired late`).toBeLessThanOrEqual(withinHours * HOUR);
      }
    },
    120_000,
  );

  it("shows the change in the hourly series in the bucket it starts", async () => {
    const replay = replayOf(["keyword:0.6"]);
    const series = await timeSeriesStore(replay.at(END.getTime()), { by: "hour", since: START - 24 * HOUR, until: START + 24 * HOUR });
    const accuracy = series.buckets.map((b) => b.layers.keyword!.accuracy.rate!);
    const before = accuracy.slice(0, 24),
      after = accuracy.slice(24);
    expect(series.buckets[24]!.start).toBe(new Date(START).toISOString());
    expect(Math.min(...before)).toBeGreaterThan(0.78);
    expect(Math.max(...after)).toBeLessThan(0.75);
  }, 60_000);

  it("fires no rule on a stable log of 100,000 events", async () => {
    const replay = new Replay(generateSampleRecords({ count: 100_000, seed: 5, days: 30, end: END, drift: 0 }));
    // Every 12 hours over the last 22 days (the 7d baseline fully inside the log).
    const fired = await firings(
      replay,
      RULES.map((rule) => rule.name),
      END.getTime() - 22 * 24 * HOUR,
      12 * HOUR,
    );
    for (const [name, times] of fired) expect(times, `${name} fired on a stable log`).toEqual([]);
  }, 120_000);
});
