import { describe, expect, it } from "vitest";
import { stringifyJsonSafe, terminalSafe, terminalSafeDeep, terminalSafeJson, toJsonSafe } from "../src/index.js";

function hostileDetails(): Record<string, unknown> {
  const details: Record<string, unknown> = { rule: "deploy", big: 12345678901234567890n, list: [1, 2n, undefined, () => 1] };
  details.self = details;
  Object.defineProperty(details, "boom", {
    enumerable: true,
    get() {
      throw new Error("getter exploded");
    },
  });
  details.badJson = {
    toJSON() {
      throw new Error("no json");
    },
  };
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  details.revoked = proxy;
  return details;
}

describe("bad input: serialising values JSON cannot hold", () => {
  it("JSON.stringify throws on the hostile details (the crash of issue 10)", () => {
    expect(() => JSON.stringify(hostileDetails())).toThrow();
  });
  it("toJsonSafe never throws and replaces what JSON cannot hold with markers", () => {
    const safe = toJsonSafe(hostileDetails()) as Record<string, unknown>;
    expect(safe).toMatchObject({
      rule: "deploy",
      big: "12345678901234567890",
      list: [1, "2", null, null],
      self: "[Circular]",
      boom: "[Unreadable: getter exploded]",
      badJson: "[Unreadable: no json]",
    });
    expect(String(safe.revoked)).toContain("[Unreadable");
    expect(() => JSON.stringify(safe)).not.toThrow();
  });
  it("stringifyJsonSafe cuts deep nesting instead of overflowing the stack", () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100_000; i++) deep = deep.next = {};
    const text = stringifyJsonSafe(root);
    expect(text).toContain("[Too deep]");
    expect(() => JSON.parse(text)).not.toThrow();
    expect(JSON.parse(stringifyJsonSafe(hostileDetails()))).toMatchObject({ big: "12345678901234567890" });
  });
});

describe("bad input: text from data printed to a terminal", () => {
  const hostile = "a\x1b[2J\x1b]0;title\x07\x1b]52;c;ZXZpbA==\x07\u009b31m\u202eb\r\nc";
  it("terminalSafe escapes C0, C1, OSC, bidi and line breaks visibly", () => {
    const safe = terminalSafe(hostile);

    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(safe).toBe("a\\x1b[2J\\x1b]0;title\\x07\\x1b]52;c;ZXZpbA==\\x07\\x9b31m\\u202eb\\x0d\\x0ac");
  });
  it("keepNewlines keeps \\n and \\t only", () => {
    expect(terminalSafe("line 1\n\tline 2\r\x1b", { keepNewlines: true })).toBe("line 1\n\tline 2\\x0d\\x1b");
  });
  it("returns ordinary text unchanged, including non-Latin text and emoji", () => {
    const text = "security-master · 修复 🔥 café";
    expect(terminalSafe(text)).toBe(text);
  });
  it("terminalSafeDeep cleans every string and key", () => {
    expect(terminalSafeDeep({ "\x1bkey": ["\x07", 1, null, { v: "\u009b" }] })).toEqual({ "\\x1bkey": ["\\x07", 1, null, { v: "\\x9b" }] });
  });
  it("terminalSafeJson escapes C1 and bidi characters and keeps the JSON value", () => {
    const json = JSON.stringify({ name: "x\u009b2J\u202ey\u2028" });
    const safe = terminalSafeJson(json);
    expect(safe).not.toMatch(/[\u007f-\u009f\u202e\u2028]/);
    expect(JSON.parse(safe)).toEqual(JSON.parse(json));
  });
});
