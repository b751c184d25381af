import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAnalyzer, createTracker, jsonlStore, renderAnalysisText, renderDashboard, renderHtmlReport } from "../src/index.js";
import { corrected, makeEvent, RIGHT_OUTCOME } from "./analysis-fixtures.js";
import { sampleDecision } from "./support/records.js";

// Issue 10: names from the log reached the terminal raw.
const CLEAR = "\x1b[2J\x1b[H";
const TITLE = "\x1b]0;pwned\x07";
const CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07";
const C1_CSI = "\u009b31m";
const BIDI = "\u202e";
const EXPERT = `sec${CLEAR}urity${CLIPBOARD}`;
const LAYER = `kw${TITLE}${BIDI}`;

function hostileReport() {
  const analyzer = createAnalyzer({ now: Date.parse("2024-05-02T00:00:00Z") });
  analyzer.add(makeEvent({ attempts: [[LAYER, EXPERT, 0.9, true]], outcome: corrected(`dev${C1_CSI}`), ab: { experiment: `exp${CLEAR}`, variant: "candidate" } }));
  analyzer.add(makeEvent({ attempts: [["keyword", "cicd-master", 0.2, false]], clarification: { reason: `odd${TITLE}` }, outcome: RIGHT_OUTCOME }));
  analyzer.add(makeEvent({ attempts: [["keyword", "cicd-master", 0.95, true]], ab: { experiment: `exp${CLEAR}`, variant: "control" }, outcome: RIGHT_OUTCOME }));
  return analyzer.result();
}

// Without colour the renderers emit no escape of their own: any control character is from data.

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("bad input: hostile names in the log, printed to a terminal", () => {
  const report = hostileReport();
  it("the report holds the raw names (the data is kept as it is)", () => {
    expect(JSON.stringify(report)).toContain(JSON.stringify(EXPERT).slice(1, -1));
  });
  it("renderAnalysisText shows them as visible escapes", () => {
    const text = renderAnalysisText(report);
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain("sec\\x1b[2J\\x1b[Hurity\\x1b]52;c;ZXZpbA==\\x07");
    expect(text).toContain("kw\\x1b]0;pwned\\x07\\u202e");
    expect(text).toContain("dev\\x9b31m");
    expect(text).toContain("odd\\x1b]0;pwned\\x07");
  });
  it("with colour, the only escapes are SGR colour codes", () => {
    const text = renderAnalysisText(report, { color: true }).replace(/\x1b\[\d+m/g, "");
    expect(text).not.toMatch(CONTROL);
  });
  it("renderDashboard neutralises names and the status line", () => {
    const frame = renderDashboard(report, { status: `store ${TITLE}` });
    expect(frame).not.toMatch(CONTROL);
    expect(frame).toContain("exp\\x1b[2J\\x1b[H");
    expect(frame).toContain("store \\x1b]0;pwned\\x07");
  });
  it("the HTML report escapes them too (no raw control character in the page)", () => {
    const html = renderHtmlReport(report);
    expect(html).not.toContain("\x1b");
    expect(html).not.toContain("\u009b");
  });
});

describe("bad input: layer details JSON cannot hold", () => {
  it("a decision with circular, BigInt and throwing-getter details is stored with markers, not dropped", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "moe-details-")), "events.jsonl");
    const errors: Error[] = [];
    const tracker = createTracker({ store: jsonlStore({ path }), onError: (error) => errors.push(error) });
    const details: Record<string, unknown> = { big: 7n };
    details.self = details;
    Object.defineProperty(details, "boom", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
    const decision = sampleDecision();
    tracker.onDecision({ ...decision, attempts: [{ ...decision.attempts[1]!, details }], task: { description: "x", metadata: { n: 1n } } });
    await tracker.close();
    expect(errors).toEqual([]);
    const record = JSON.parse(readFileSync(path, "utf8"));
    expect(record.layer_attempts[0].metadata).toEqual({ big: "7", self: "[Circular]", boom: "[Unreadable: getter]" });
    expect(record.task_metadata).toEqual({ n: "1" });
    expect(tracker.stats().store.failed).toBe(0);
  });
});
