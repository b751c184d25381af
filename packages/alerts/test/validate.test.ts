import { isMoeRouterError } from "@moe-router/core";
import { describe, expect, it } from "vitest";
import { parseDuration, resolveAlertRules, validateAlertRules } from "../src/index.js";

/** The rules of the issue and the README, as users write them. */
export const EXAMPLE_RULES = [
  { name: "keyword-accuracy", metric: "accuracy", layer: "keyword", window: "24h", below: 0.85, min_samples: 50 },
  { name: "clarification-spike", metric: "clarification_rate", window: "24h", above: 0.3, min_samples: 50 },
  { name: "semantic-errors", metric: "error_rate", layer: "semantic", window: "1h", above: 0.01 },
  { name: "slow-rag", metric: "latency_p95_ms", layer: "rag", window: "1h", above: 200 },
  { name: "drift", metric: "expert_shift", window: "24h", baseline: "7d", above: 0.2 },
];

function failure(rules: unknown): { code: string; message: string; field?: unknown } {
  try {
    validateAlertRules(rules, "moe.yaml");
  } catch (error) {
    if (!isMoeRouterError(error)) throw error;
    return { code: error.code, message: error.message, field: error.data?.field };
  }
  throw new Error("expected the rules to be refused");
}

describe("alert rule validation", () => {
  it("accepts the documented rules and resolves durations and defaults", () => {
    expect(validateAlertRules(EXAMPLE_RULES)).toEqual(EXAMPLE_RULES);
    const resolved = resolveAlertRules(EXAMPLE_RULES);
    expect(resolved.map((r) => [r.windowMs, r.baselineMs, r.direction, r.limit, r.minSamples])).toEqual([
      [86_400_000, undefined, "below", 0.85, 50],
      [86_400_000, undefined, "above", 0.3, 50],
      [3_600_000, undefined, "above", 0.01, 30],
      [3_600_000, undefined, "above", 200, 30],
      [86_400_000, 7 * 86_400_000, "above", 0.2, 30],
    ]);
  });

  it("reads durations with units s, m, h, d, w", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
    for (const bad of ["24", "1y", "-1h", "0h", "h", 24]) expect(() => parseDuration(bad)).toThrow(/duration such as "15m"/);
  });

  it.each([
    ["not a list", { name: "x" }, "MOE_INVALID_CONFIG", "alerts", /must be a list of rules/],
    ["a typo in a key", [{ ...EXAMPLE_RULES[0], windw: "1h" }], "MOE_UNKNOWN_OPTION", "windw", /unknown key "windw"/],
    ["an unknown metric", [{ ...EXAMPLE_RULES[0], metric: "acuracy" }], "MOE_INVALID_CONFIG", "metric", /metric must be one of accuracy, coverage/],
    ["a layer on a decision-level metric", [{ ...EXAMPLE_RULES[1], layer: "keyword" }], "MOE_INVALID_CONFIG", "layer", /remove "layer"/],
    ["a bad window", [{ ...EXAMPLE_RULES[0], window: "1 day" }], "MOE_INVALID_CONFIG", "window", /window must be a duration/],
    ["a window under a minute", [{ ...EXAMPLE_RULES[0], window: "30s" }], "MOE_INVALID_CONFIG", "window", /at least 1m/],
    ["a baseline on another metric", [{ ...EXAMPLE_RULES[0], baseline: "7d" }], "MOE_INVALID_CONFIG", "baseline", /expert_shift only/],
    ["both below and above", [{ ...EXAMPLE_RULES[0], above: 0.99 }], "MOE_INVALID_CONFIG", "above", /exactly one of "below"/],
    ["neither below nor above", [{ name: "n", metric: "accuracy", window: "1h" }], "MOE_INVALID_CONFIG", "below", /exactly one of "below"/],
    ["a rate limit out of [0,1]", [{ ...EXAMPLE_RULES[0], below: 85 }], "MOE_INVALID_CONFIG", "below", /0\.85 for 85 %/],
    ["expert_shift below", [{ name: "d", metric: "expert_shift", window: "1d", below: 0.1 }], "MOE_INVALID_CONFIG", "below", /use "above"/],
    ["fractional min_samples", [{ ...EXAMPLE_RULES[0], min_samples: 2.5 }], "MOE_INVALID_CONFIG", "min_samples", /whole number >= 1/],
    ["a name with spaces", [{ ...EXAMPLE_RULES[0], name: "keyword accuracy" }], "MOE_INVALID_CONFIG", "name", /short identifier/],
    ["duplicate names", [EXAMPLE_RULES[0], EXAMPLE_RULES[0]], "MOE_INVALID_CONFIG", "name", /must be unique/],
  ])("refuses %s with a coded error naming the field", (_what, rules, code, field, message) => {
    const error = failure(rules);
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith("moe.yaml")).toBe(true);
  });
});
