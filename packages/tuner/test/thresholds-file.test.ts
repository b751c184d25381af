import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMoeRouterError } from "@moe-router/core";
import { describe, expect, it } from "vitest";
import { appendThresholdsHistory, historyPathFor, loadThresholds, parseThresholdsFile, readThresholdsFile, readThresholdsHistory, writeThresholdsFile } from "../src/thresholds-file.js";

const dir = () => mkdtempSync(join(tmpdir(), "moe-tuner-"));
const good = { version: 1 as const, updated_at: "2025-01-01T00:00:00.000Z", thresholds: { keyword: 0.8, semantic: 0.65 } };

describe("thresholds file", () => {
  it("writes atomically (no temp file left) and reads back", async () => {
    const folder = dir();
    const path = join(folder, "nested", "thresholds.json");
    await writeThresholdsFile(path, good);
    expect(readdirSync(join(folder, "nested"))).toEqual(["thresholds.json"]);
    expect(await readThresholdsFile(path)).toEqual(good);
  });

  it("is undefined when missing", async () => {
    expect(await readThresholdsFile(join(dir(), "none.json"))).toBeUndefined();
  });

  it.each([
    ["not JSON", "{ thresholds: ", /not valid JSON/],
    ["an array", "[]", /expected a JSON object/],
    ["another version", JSON.stringify({ ...good, version: 2 }), /version 2 is not supported/],
    ["a threshold above 1", JSON.stringify({ ...good, thresholds: { keyword: 1.5 } }), /thresholds.keyword must be a number in \[0,1\]/],
    ["a string threshold", JSON.stringify({ ...good, thresholds: { keyword: "0.8" } }), /thresholds.keyword/],
    ["no updated_at", JSON.stringify({ version: 1, thresholds: {} }), /updated_at/],
    ["a bad experiment", JSON.stringify({ ...good, experiment: { name: "x", share: 2, candidate_thresholds: {} } }), /experiment.share/],
  ])("rejects %s with MOE_CORRUPT_FILE and says how to fix it", (_name, text, message) => {
    let caught: unknown;
    try {
      parseThresholdsFile(text, "/x/thresholds.json");
    } catch (error) {
      caught = error;
    }
    expect(isMoeRouterError(caught, "MOE_CORRUPT_FILE")).toBe(true);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toMatch(/previous thresholds stay in force/);
  });

  it("a corrupt file keeps the previous thresholds and reports the error", async () => {
    const path = join(dir(), "thresholds.json");
    writeFileSync(path, '{"version":1,"updated_at":"x","thresholds":{"keyword":');
    const loaded = await loadThresholds(path, { keyword: 0.85 });
    expect(loaded.thresholds).toEqual({ keyword: 0.85 });
    expect(loaded.source).toBe("previous");
    expect(loaded.error?.code).toBe("MOE_CORRUPT_FILE");
    writeFileSync(path, JSON.stringify(good));
    expect(await loadThresholds(path, { keyword: 0.85, rag: 0.85 })).toEqual({ thresholds: { keyword: 0.8, semantic: 0.65, rag: 0.85 }, source: "file" });
  });

  it("refuses to write what it could not read back", async () => {
    const path = join(dir(), "thresholds.json");
    await expect(writeThresholdsFile(path, { ...good, thresholds: { keyword: 1.1 } })).rejects.toMatchObject({ code: "MOE_CORRUPT_FILE" });
    expect(() => readFileSync(path)).toThrow();
  });

  it("appends history lines and skips a torn last line", async () => {
    const path = join(dir(), "thresholds.json");
    const history = historyPathFor(path);
    expect(history.endsWith("thresholds.history.jsonl")).toBe(true);
    const entry = { time: "t1", action: "apply" as const, before: { a: 0.5 }, after: { a: 0.55 }, reason: "r", samples: { a: 200 } };
    await appendThresholdsHistory(history, entry);
    await appendThresholdsHistory(history, { ...entry, time: "t2" });
    writeFileSync(history, `${readFileSync(history, "utf8")}{"time":"t3",`);
    expect((await readThresholdsHistory(history)).map((e) => e.time)).toEqual(["t1", "t2"]);
  });
});
