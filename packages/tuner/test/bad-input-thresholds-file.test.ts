import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyProposal, startExperiment } from "../src/apply.js";
import { proposeThresholds } from "../src/propose.js";
import { readThresholdsFile } from "../src/thresholds-file.js";
import { graded } from "./support/traces.js";

const proposal = () => proposeThresholds(graded("keyword", 1000, { rightAbove: 0.3, shadow: true }), { layers: ["keyword"], current: { keyword: 0.85 }, targetPrecision: 0.9 });
const folder = () => mkdtempSync(join(tmpdir(), "moe-foreign-"));

// Issue 10: `thresholdsFile` pointing at an unrelated file made `tune` replace "precious data".
describe("bad input: a thresholds path that names someone else's file", () => {
  it.each([
    ["plain text", "precious data\nline 2\n"],
    ["a JSON array", "[1, 2, 3]"],
    ["another JSON object", '{ "name": "my-app", "dependencies": {} }'],
    ["binary bytes", "\u0000\u0001\u00ff"],
  ])("refuses to replace %s (MOE_FOREIGN_FILE) and leaves it and the history untouched", async (_label, content) => {
    const dir = folder();
    const path = join(dir, "notes.txt");
    writeFileSync(path, content);
    await expect(applyProposal(path, proposal())).rejects.toMatchObject({ code: "MOE_FOREIGN_FILE", message: expect.stringContaining(path) });
    await expect(startExperiment(path, proposal(), { name: "e", share: 0.1 })).rejects.toMatchObject({ code: "MOE_FOREIGN_FILE" });
    expect(readFileSync(path, "utf8")).toBe(content);
    expect(() => readFileSync(join(dir, "notes.txt.history.jsonl"))).toThrow(/ENOENT/);
  });

  it("refuses to append to a history path that holds something else", async () => {
    const dir = folder();
    const path = join(dir, "thresholds.json");
    writeFileSync(join(dir, "thresholds.history.jsonl"), "my diary\n");
    await expect(applyProposal(path, proposal())).rejects.toMatchObject({ code: "MOE_FOREIGN_FILE", message: expect.stringContaining("history") });
    expect(await readThresholdsFile(path)).toBeUndefined();
    expect(readFileSync(join(dir, "thresholds.history.jsonl"), "utf8")).toBe("my diary\n");
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["a damaged thresholds file", '{ "version": 1, "updated_at": "x", "thresholds": { "keyword": 9 } }'],
    ["a thresholds file torn by hand", '{ "thresholds": { "keyword": 0.8 '],
  ])("still writes over a file that is %s", async (_label, content) => {
    const path = join(folder(), "thresholds.json");
    if (content !== undefined) writeFileSync(path, content);
    await applyProposal(path, proposal());
    expect((await readThresholdsFile(path))?.thresholds).toEqual({ keyword: 0.8 });
  });
});
