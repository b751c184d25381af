import { describe, expect, it } from "vitest";
import { eventForRow, outcomeJudgementRows } from "../../../tools/test-support/outcome-judgements.js";
import { analyzeEvents, judgeExpert, judgeOutcome } from "../src/index.js";

const rows = outcomeJudgementRows();

describe("judgeOutcome: what an outcome says about the right expert", () => {
  it.each(rows)("$case", (row) => {
    expect(judgeOutcome(row.selected, row.outcome ?? undefined)).toEqual({
      correct: row.correct ?? undefined,
      rightExpert: row.rightExpert ?? undefined,
      wrongExpert: row.wrongExpert ?? undefined,
    });
  });

  it("judges another expert by the right and wrong experts it names", () => {
    expect(judgeExpert("support", { rightExpert: "support" })).toBe(true);
    expect(judgeExpert("billing", { rightExpert: "support", wrongExpert: "billing" })).toBe(false);
    expect(judgeExpert("sales", { wrongExpert: "billing" })).toBeUndefined();
    expect(judgeExpert("billing", { wrongExpert: "billing" })).toBe(false);
    expect(judgeExpert("billing", {})).toBeUndefined();
  });

  it("is the rule the analysis counts by (accuracy over the whole table)", async () => {
    const report = await analyzeEvents(rows.map(eventForRow));
    const judged = rows.filter((row) => row.correct !== null);
    expect(report.overall.accuracy.judged).toBe(judged.length);
    expect(report.overall.accuracy.correct).toBe(judged.filter((row) => row.correct).length);
    const keyword = report.layers.find((entry) => entry.layer === "keyword")!;
    expect(keyword.accuracy).toEqual(report.overall.accuracy);
  });
});
