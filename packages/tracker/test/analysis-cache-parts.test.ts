/**
 * The analysis cache's building blocks made faster for the first read of a big log: the
 * canonical-timestamp check (arithmetic instead of a Date round trip) must decide exactly as
 * its definition, and the typed id set must find duplicates and hash collisions as a Map did.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalTime, exactCanonicalTime } from "../src/analysis/cache/builder.js";
import { IdSet } from "../src/analysis/cache/id-set.js";
import { parseIsoTime } from "../src/analysis/internal/iso-time.js";

const pad = (value: number, width: number) => String(value).padStart(width, "0");
/** A timestamp in toISOString()'s shape with every field drawn past its range too (day 31 in April, second 60, year 0). */
const isoShaped = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    ms: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ year, month, day, hour, minute, second, ms }) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(ms, 3)}Z`);
/** A canonical timestamp with one character replaced by anything. */
const mangled = fc.tuple(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), fc.nat(23), fc.integer({ min: 0, max: 0x7f })).map(([time, at, code]) => {
  const text = new Date(time).toISOString();
  return text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1);
});

describe("canonicalTime (the cache's timestamp check)", () => {
  it("decides as the Date round trip does, on every shape of timestamp", () => {
    const edges = [
      "2024-02-29T00:00:00.000Z",
      "2023-02-29T00:00:00.000Z",
      "1900-02-29T12:00:00.000Z",
      "2000-02-29T12:00:00.000Z",
      "2026-04-31T00:00:00.000Z",
      "2026-12-31T23:59:59.999Z",
      "1969-12-31T23:59:59.999Z",
      "1970-01-01T00:00:00.000Z",
      "9999-12-31T23:59:59.999Z",
      "0000-01-01T00:00:00.000Z",
      "2026-13-01T00:00:00.000Z",
      "2026-01-01T24:00:00.000Z",
      "2026-01-01 00:00:00.000Z",
      "2026-01-01T00:00:00.000+",
      "+002026-01-01T00:00:00.000Z",
      "2026-01-01T00:00:00Z",
      "",
      "2026-1-01T00:00:00.000Z0",
    ];
    for (const text of edges) expect(canonicalTime(text), text).toBe(exactCanonicalTime(text));
    fc.assert(
      fc.property(fc.oneof(isoShaped, mangled, fc.string({ minLength: 24, maxLength: 24 })), (text) => canonicalTime(text) === exactCanonicalTime(text)),
      { numRuns: 20_000 },
    );
    expect(canonicalTime(12)).toBeUndefined();
  });
});

describe("parseIsoTime", () => {
  it("reads a field that is not two digits (a character below '0') as Date.parse does: not a date", () => {
    // Found by the property above: the arithmetic decoder read "\u00000" as minute -48 + 0 and gave a time.
    for (const text of ["1970-01-01T01:\u00000:00.000Z", "1970-01-01T/1:00:00.000Z", "1970-01-01T00:00:/0.000Z"]) expect(parseIsoTime(text), text).toBeNaN();
    expect(parseIsoTime("2026-11-25T03:54:39.899Z")).toBe(Date.parse("2026-11-25T03:54:39.899Z"));
  });
});

describe("IdSet (the walk's record of decisions met)", () => {
  it("reports a key met before with its check, a new key as -1, whatever the table's crowding", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 3000 }), fc.constantFrom(0, 7, 1 << 20), (ids, stride) => {
        // Keys sharing their low bits (stride) crowd one region of the table.
        const keys = ids.map(([key, check], i) => [stride ? (i % 50) * 2 ** 30 + stride : key, check] as const);
        const set = new IdSet(keys.length);
        const model = new Map<number, number>();
        for (const [key, check] of keys) {
          const expected = model.get(key) ?? -1;
          expect(set.add(key, check)).toBe(expected);
          if (expected < 0) model.set(key, check);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("keeps the key 0 and the largest key apart from empty slots", () => {
    const set = new IdSet(4);
    expect(set.add(0, 5)).toBe(-1);
    expect(set.add(0, 6)).toBe(5);
    expect(set.add(2 ** 53 - 1, 1)).toBe(-1);
    expect(set.add(2 ** 53 - 1, 1)).toBe(1);
  });
});
