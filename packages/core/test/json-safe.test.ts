import { describe, expect, it } from "vitest";
import { stringifyJsonSafe, toJsonSafe } from "../src/index.js";

describe("toJsonSafe", () => {
  it("copies plain JSON values unchanged", () => {
    const value = { a: 1, b: "x", c: [true, null, { d: 2.5 }] };
    expect(toJsonSafe(value)).toEqual(value);
  });

  it("replaces what JSON.stringify refuses", () => {
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    const value: Record<string, unknown> = { circular, big: 10n, list: [circular, 1], nan: Number.NaN, fn: () => 1 };
    Object.defineProperty(value, "broken", {
      enumerable: true,
      get: () => {
        throw new Error("boom");
      },
    });
    expect(() => JSON.stringify(value)).toThrow();
    expect(toJsonSafe(value)).toEqual({
      circular: { name: "loop", self: "[Circular]" },
      big: "10",
      list: [{ name: "loop", self: "[Circular]" }, 1],
      nan: null,
      broken: "[Unreadable: boom]",
    });
  });

  it("keeps shared (non-circular) references and honours toJSON", () => {
    const shared = { x: 1 };
    expect(toJsonSafe({ a: shared, b: shared, when: new Date(0) })).toEqual({ a: { x: 1 }, b: { x: 1 }, when: "1970-01-01T00:00:00.000Z" });
  });

  it("stops at a depth of 32", () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 40; i++) deep = deep.next = {};
    expect(JSON.stringify(toJsonSafe(root))).toContain('"[Too deep]"');
  });

  it("stringifyJsonSafe never throws", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(JSON.parse(stringifyJsonSafe({ circular, big: 1n }))).toEqual({ circular: { self: "[Circular]" }, big: "1" });
    expect(stringifyJsonSafe({ plain: 1 })).toBe('{"plain":1}');
  });
});
