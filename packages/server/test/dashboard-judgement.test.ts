import type { RoutingEvent } from "@moe-router/tracker";
import { describe, expect, it } from "vitest";
import { eventForRow, outcomeJudgementRows } from "../../../tools/test-support/outcome-judgements.js";
import { judgeEvent } from "../src/dashboard/series.js";

describe("the dashboard judges outcomes by the tracker's rule (fixtures/rules/outcome-judgements.json)", () => {
  it.each(outcomeJudgementRows().map((row, index) => [row.case, row, index] as const))("%s", (_, row, index) => {
    expect(judgeEvent(eventForRow(row, index) as RoutingEvent)).toBe(row.correct ?? undefined);
  });
});
