import { describe, expect, it } from "vitest";
import { evaluateAlerts, type AlertRule } from "../src/index.js";
import { event, source } from "./support/events.js";

const NOW = Date.parse("2026-11-20T12:00:00.000Z");
const MINUTE = 60_000;
const recent = (i: number) => NOW - (i + 1) * MINUTE;

async function one(rule: AlertRule, events: ReturnType<typeof event>[]) {
  const [evaluation] = await evaluateAlerts([rule], source(events), { now: NOW });
  return evaluation!;
}

describe("alert evaluation", () => {
  it("fires an accuracy rule only when the Wilson upper bound is under the limit", async () => {
    const rule: AlertRule = { name: "kw", metric: "accuracy", layer: "keyword", window: "1h", below: 0.85, min_samples: 20 };
    // 16/20 = 80 %: below 0.85, but the upper bound (~92 %) is not: ok.
    const few = await one(
      rule,
      Array.from({ length: 20 }, (_, i) => event({ at: recent(i), right: i >= 4 })),
    );
    expect(few).toMatchObject({ state: "ok", value: 0.8, samples: 20, direction: "below", limit: 0.85 });
    expect(few.bound!).toBeGreaterThan(0.85);
    // 40/50 = 80 % with 50 samples... still above; 140/200 = 70 %: upper bound ~76 % < 85 %: firing.
    const many = await one(
      rule,
      Array.from({ length: 200 }, (_, i) => event({ at: NOW - (i + 1) * 10_000, right: i % 10 >= 3 })),
    );
    expect(many).toMatchObject({ state: "firing", value: 0.7, samples: 200 });
    expect(many.bound!).toBeLessThan(0.85);
    expect(many.window).toEqual({ since: "2026-11-20T11:00:00.000Z", until: "2026-11-20T12:00:00.000Z" });
  });

  it("says not enough data below min_samples, and ignores events outside the window", async () => {
    const rule: AlertRule = { name: "kw", metric: "accuracy", window: "1h", below: 0.99, min_samples: 10 };
    const old = Array.from({ length: 100 }, (_, i) => event({ at: NOW - 2 * 3_600_000 - i, right: false }));
    const evaluation = await one(rule, [...old, ...Array.from({ length: 5 }, (_, i) => event({ at: recent(i), right: false }))]);
    expect(evaluation).toMatchObject({ state: "insufficient_data", value: 0, samples: 5, minSamples: 10 });
    expect((await one(rule, [])).state).toBe("insufficient_data");
  });

  it("measures coverage, clarification, error and outcome rates from the right counts", async () => {
    const events = [
      ...Array.from({ length: 60 }, (_, i) => event({ at: recent(i), layer: "keyword", right: true })),
      ...Array.from({ length: 30 }, (_, i) => event({ at: recent(i), layer: "semantic", errorLayer: "keyword" })),
      ...Array.from({ length: 10 }, (_, i) => event({ at: recent(i), layer: "clarification" })),
    ];
    const rules: AlertRule[] = [
      { name: "cov", metric: "coverage", window: "2h", below: 0.95 },
      { name: "kw-cov", metric: "coverage", layer: "keyword", window: "2h", below: 0.7 },
      { name: "clar", metric: "clarification_rate", window: "2h", above: 0.02 },
      { name: "kw-err", metric: "error_rate", layer: "keyword", window: "2h", above: 0.2 },
      { name: "err", metric: "error_rate", window: "2h", above: 0.5 },
      { name: "out", metric: "outcome_coverage", window: "2h", below: 0.9 },
    ];
    const results = await evaluateAlerts(rules, source(events), { now: NOW });
    const byName = Object.fromEntries(results.map((r) => [r.rule, r]));
    expect(byName.cov).toMatchObject({ value: 0.9, samples: 100, state: "firing" });
    expect(byName["kw-cov"]).toMatchObject({ value: 0.6, samples: 100, state: "firing" });
    expect(byName.clar).toMatchObject({ value: 0.1, samples: 100, state: "firing" });
    // keyword: 60 accepted attempts + 30 errored ones.
    expect(byName["kw-err"]).toMatchObject({ value: 30 / 90, samples: 90, state: "firing" });
    // All live attempts: 60 + 30 + 30 = 120, 30 errored.
    expect(byName.err).toMatchObject({ value: 0.25, samples: 120, state: "ok" });
    expect(byName.out).toMatchObject({ value: 0.6, samples: 100, state: "firing" });
  });

  it("judges p95 latency by its order-statistic bound", async () => {
    const rule: AlertRule = { name: "slow", metric: "latency_p95_ms", layer: "rag", window: "1h", above: 200 };
    const fast = Array.from({ length: 100 }, (_, i) => event({ at: recent(i % 50), layer: "rag", latencyMs: 100 + i }));
    expect(await one(rule, fast)).toMatchObject({ state: "ok" });
    // 8 of 100 slow: the p95 is slow, but the lower bound of the p95 is not above 200: ok.
    const someSlow = fast.map((e, i) => (i >= 92 ? event({ at: recent(i % 50), layer: "rag", latencyMs: 900 }) : e));
    const judged = await one(rule, someSlow);
    expect(judged.value!).toBeGreaterThan(200);
    expect(judged.state).toBe("ok");
    const slow = fast.map((e, i) => (i >= 80 ? event({ at: recent(i % 50), layer: "rag", latencyMs: 900 }) : e));
    expect(await one(rule, slow)).toMatchObject({ state: "firing", samples: 100 });
  });

  it("fires expert_shift when the window's expert mix departs from the baseline's beyond noise", async () => {
    const rule: AlertRule = { name: "drift", metric: "expert_shift", window: "1h", baseline: "1d", above: 0.2 };
    const experts = ["a", "b", "c", "d"];
    const baseline = Array.from({ length: 400 }, (_, i) => event({ at: NOW - 3_600_000 - (i + 1) * 180_000, expert: experts[i % 4]! }));
    const same = Array.from({ length: 100 }, (_, i) => event({ at: NOW - (i + 1) * 30_000, expert: experts[i % 4]! }));
    const stable = await one(rule, [...baseline, ...same]);
    expect(stable.state).toBe("ok");
    expect(stable.value!).toBeLessThan(0.05);
    expect(stable.baseline).toEqual({ since: "2026-11-19T11:00:00.000Z", until: "2026-11-20T11:00:00.000Z" });
    const shifted = Array.from({ length: 100 }, (_, i) => event({ at: NOW - (i + 1) * 30_000, expert: i < 85 ? "a" : experts[i % 4]! }));
    const moved = await one(rule, [...baseline, ...shifted]);
    expect(moved.state).toBe("firing");
    expect(moved.samples).toBe(100);
    expect(moved.bound!).toBeLessThan(moved.value!);
  });

  it("runs one query per distinct window", async () => {
    let reads = 0;
    const events = Array.from({ length: 50 }, (_, i) => event({ at: recent(i), right: true }));
    const counting = {
      *read(range?: { since?: Date; until?: Date }) {
        reads++;
        yield* source(events).read(range);
      },
    };
    await evaluateAlerts(
      [
        { name: "a", metric: "accuracy", window: "1h", below: 0.5 },
        { name: "b", metric: "clarification_rate", window: "1h", above: 0.5 },
        { name: "c", metric: "accuracy", window: "2h", below: 0.5 },
      ],
      counting,
      { now: NOW },
    );
    expect(reads).toBe(2);
  });
});
