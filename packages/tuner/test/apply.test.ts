import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyProposal, startExperiment } from "../src/apply.js";
import { proposeThresholds } from "../src/propose.js";
import { readThresholdsFile, readThresholdsHistory } from "../src/thresholds-file.js";
import { graded } from "./support/traces.js";

const now = () => new Date("2025-03-01T12:00:00.000Z");
const proposal = () => proposeThresholds(graded("keyword", 1000, { rightAbove: 0.3, shadow: true }), { layers: ["keyword"], current: { keyword: 0.85 }, targetPrecision: 0.9 });

describe("applyProposal", () => {
  it("writes the thresholds file atomically and appends a history line", async () => {
    const folder = mkdtempSync(join(tmpdir(), "moe-apply-"));
    const path = join(folder, "thresholds.json");
    writeFileSync(path, JSON.stringify({ version: 1, updated_at: "old", thresholds: { rag: 0.8 }, experiment: { name: "e1", share: 0.1, candidate_thresholds: { rag: 0.7 }, started_at: "old" } }));
    const result = await applyProposal(path, proposal(), { now });
    expect(await readThresholdsFile(path)).toEqual({ version: 1, updated_at: "2025-03-01T12:00:00.000Z", thresholds: { rag: 0.8, keyword: 0.8 } });
    expect(readdirSync(folder).sort()).toEqual(["thresholds.history.jsonl", "thresholds.json"]);
    const history = await readThresholdsHistory(result.historyPath);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ time: "2025-03-01T12:00:00.000Z", action: "apply", before: { keyword: 0.85 }, after: { keyword: 0.8 }, samples: { keyword: 1000 } });
    expect(history[0]!.reason).toMatch(/keyword 0.85->0.8.*ended experiment "e1"/);
  });

  it("replaces a corrupt thresholds file and says so", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "moe-apply-")), "thresholds.json");
    writeFileSync(path, '{ "version": 1, "thresholds": { "keyword": 0.8');
    const result = await applyProposal(path, proposal(), { now });
    expect(result.replacedCorrupt?.code).toBe("MOE_CORRUPT_FILE");
    expect((await readThresholdsFile(path))?.thresholds).toEqual({ keyword: 0.8 });
  });
});

describe("startExperiment", () => {
  it("keeps the control thresholds and writes the candidate as an experiment", async () => {
    const folder = mkdtempSync(join(tmpdir(), "moe-exp-"));
    const path = join(folder, "thresholds.json");
    const result = await startExperiment(path, proposal(), { name: "lower-keyword", share: 0.2, now });
    expect(result.file).toEqual({
      version: 1,
      updated_at: "2025-03-01T12:00:00.000Z",
      thresholds: { keyword: 0.85 },
      experiment: { name: "lower-keyword", share: 0.2, candidate_thresholds: { keyword: 0.8 }, started_at: "2025-03-01T12:00:00.000Z" },
    });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(result.file);
    const [entry] = await readThresholdsHistory(result.historyPath);
    expect(entry).toMatchObject({ action: "experiment", after: { keyword: 0.8 }, experiment: { name: "lower-keyword" } });
  });

  it("refuses a bad share or name, and a proposal that changes nothing, writing nothing", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "moe-exp-")), "thresholds.json");
    await expect(startExperiment(path, proposal(), { name: "x", share: 1.5 })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
    await expect(startExperiment(path, proposal(), { name: "bad name!", share: 0.1 })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
    const unchanged = proposeThresholds([], { layers: ["keyword"], current: { keyword: 0.85 } });
    await expect(startExperiment(path, unchanged, { name: "x", share: 0.1 })).rejects.toMatchObject({ code: "MOE_INSUFFICIENT_DATA" });
    expect(() => statSync(path)).toThrow();
  });
});
