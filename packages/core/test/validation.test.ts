import { describe, expect, it } from "vitest";
import { createCascade, ErrorCode, lookupLayer } from "../src/index.js";

const layer = lookupLayer();

describe("task validation", () => {
  const cascade = createCascade({ layers: [{ layer, threshold: 0.5 }], maxDescriptionLength: 50 });
  it.each([
    ["an empty description", { description: "" }],
    ["a blank description", { description: "   \n" }],
    ["a non-string description", { description: 42 }],
    ["a missing task", null],
  ])("rejects %s with MOE_INVALID_TASK", async (_label, task) => {
    await expect(cascade.route(task as never)).rejects.toMatchObject({ code: ErrorCode.INVALID_TASK });
  });
  it("rejects an oversized description with MOE_TASK_TOO_LONG and names the limit", async () => {
    await expect(cascade.route({ description: "x".repeat(51) })).rejects.toMatchObject({ code: ErrorCode.TASK_TOO_LONG, message: expect.stringContaining("50") });
  });
  it("refuses to route after close()", async () => {
    const closing = createCascade({ layers: [{ layer, threshold: 0.5 }] });
    await closing.close();
    await expect(closing.route({ description: "x" })).rejects.toMatchObject({ code: ErrorCode.CLOSED });
  });
});

describe("config validation", () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ["a threshold above 1", { layers: [{ layer, threshold: 1.2 }] }, ErrorCode.INVALID_CONFIG, /threshold .* \[0,1\]/],
    ["a NaN threshold", { layers: [{ layer, threshold: Number.NaN }] }, ErrorCode.INVALID_CONFIG, /threshold/],
    ["a misspelt option", { layers: [], fallbak: {} }, ErrorCode.UNKNOWN_OPTION, /Unknown option "fallbak"/],
    ["a misspelt layer option", { layers: [{ layer, threshold: 0.5, treshold: 1 }] }, ErrorCode.UNKNOWN_OPTION, /treshold/],
    [
      "duplicate layer names",
      {
        layers: [
          { layer, threshold: 0.5 },
          { layer, threshold: 0.5 },
        ],
      },
      ErrorCode.INVALID_CONFIG,
      /appears twice/,
    ],
    ["a non-layer", { layers: [{ layer: {}, threshold: 0.5 }] }, ErrorCode.INVALID_CONFIG, /layer object/],
    ["a bad shadow share", { layers: [], shadowShare: 2 }, ErrorCode.INVALID_CONFIG, /shadowShare/],
    [
      "an experiment on an unknown layer",
      { layers: [{ layer, threshold: 0.5 }], experiment: { name: "x", share: 0.5, candidateThresholds: { nope: 0.3 } } },
      ErrorCode.INVALID_CONFIG,
      /not in the cascade/,
    ],
    ["a negative timeout", { layers: [{ layer, threshold: 0.5, timeoutMs: -1 }] }, ErrorCode.INVALID_CONFIG, /timeoutMs/],
  ];
  it.each(cases)("rejects %s with a coded, actionable error", (_label, options, code, message) => {
    expect(() => createCascade(options as never)).toThrowError(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });
});
