import type { RoutingEvent } from "@moe-router/tracker";
import { describe, expect, it } from "vitest";
import { eventForRow, outcomeJudgementRows } from "../../../tools/test-support/outcome-judgements.js";
import { labelFromEvent } from "../src/commands/log-labels.js";

describe("train --from-log labels by the tracker's rule (fixtures/rules/outcome-judgements.json)", () => {
  it.each(outcomeJudgementRows().map((row, index) => [row.case, row, index] as const))("%s", (_, row, index) => {
    const event = eventForRow(row, index) as RoutingEvent;
    expect(labelFromEvent(event)).toEqual(row.rightExpert === null ? undefined : { text: event.task_description, label: row.rightExpert });
  });

  it("skips an event without task text", () => {
    const event = eventForRow(
      outcomeJudgementRows().find((row) => row.rightExpert !== null)!,
      0,
    ) as RoutingEvent;
    expect(labelFromEvent({ ...event, task_description: "  " })).toBeUndefined();
  });
});
