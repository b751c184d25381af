import { describe, expect, it } from "vitest";
import { createCascade, ErrorCode, lookupLayer } from "../src/index.js";

// Issue 10: descriptions that show nothing were accepted when made of NUL or zero-width
// characters, while BOM-only and NBSP-only ones were refused. All of them are empty.
describe("bad input: descriptions that show nothing are empty", () => {
  const cascade = createCascade({ layers: [{ layer: lookupLayer(), threshold: 0.5 }] });
  it.each([
    ["NUL only", "\u0000\u0000"],
    ["zero-width space only", "\u200b\u200b\u200b"],
    ["zero-width joiners and non-joiners", "\u200c\u200d\u2060"],
    ["BOM only", "\ufeff"],
    ["NBSP only", "\u00a0\u00a0"],
    ["C0 and C1 controls", "\u0001\u001b\u009b\u007f"],
    ["bidi controls and soft hyphens", "\u202e\u2066\u200f\u00ad"],
    ["Hangul filler and braille blank", "\u3164\u2800"],
    ["a lone surrogate", "\ud800"],
    ["a mix of all with spaces", " \u0000\u200b\ufeff\u00a0\t\n"],
  ])("refuses %s with MOE_INVALID_TASK", async (_label, description) => {
    await expect(cascade.route({ description })).rejects.toMatchObject({ code: ErrorCode.INVALID_TASK, message: expect.stringMatching(/shows nothing|empty/) });
    expect(() => cascade.routeSync({ description })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_TASK }));
  });
  it.each([
    ["one letter among zero-width characters", "\u200bx\u200b"],
    ["a non-Latin word", "修复登录"],
    ["an emoji", "🔥"],
    ["a combining mark on a letter", "e\u0301"],
  ])("still routes %s", async (_label, description) => {
    await expect(cascade.route({ description })).resolves.toMatchObject({ layer: expect.any(String) });
  });
});
