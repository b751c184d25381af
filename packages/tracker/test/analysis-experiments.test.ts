import { describe, expect, it } from "vitest";
import { createAnalyzer } from "../src/index.js";
import type { RoutingEvent } from "../src/records.js";
import { RIGHT_OUTCOME, corrected, makeEvent } from "./analysis-fixtures.js";

/** `n` decisions of one variant: `right` judged right, `wrong` judged wrong, `clarified` by the fallback. */
function variantEvents(variant: "control" | "candidate", counts: { right: number; wrong: number; clarified: number; unjudged?: number }): RoutingEvent[] {
  const ab = { experiment: "lower-semantic", variant } as const;
  const events: RoutingEvent[] = [];
  for (let i = 0; i < counts.right; i++) events.push(makeEvent({ attempts: [["semantic", "cicd-master", 0.8, true]], outcome: RIGHT_OUTCOME, ab }));
  for (let i = 0; i < counts.wrong; i++) events.push(makeEvent({ attempts: [["semantic", "cicd-master", 0.75, true]], outcome: corrected("security-master"), ab }));
  for (let i = 0; i < counts.clarified; i++) events.push(makeEvent({ attempts: [["semantic", "cicd-master", 0.3, false]], clarification: { reason: "low_confidence_cascade" }, ab }));
  for (let i = 0; i < (counts.unjudged ?? 0); i++) events.push(makeEvent({ attempts: [["semantic", "cicd-master", 0.9, true]], ab }));
  return events;
}

describe("A/B experiment comparison", () => {
  it("reports accuracy, coverage and clarification per variant with z-tests", () => {
    const analyzer = createAnalyzer();
    // Control: 45/100 right, 20 clarified of 130 decisions; candidate: 60/100 right, 5 clarified of 110.
    for (const event of variantEvents("control", { right: 45, wrong: 55, clarified: 20, unjudged: 10 })) analyzer.add(event);
    for (const event of variantEvents("candidate", { right: 60, wrong: 40, clarified: 5, unjudged: 5 })) analyzer.add(event);
    analyzer.add(makeEvent({ attempts: [["semantic", "cicd-master", 0.9, true]] }));
    const [experiment, ...others] = analyzer.result().experiments;
    expect(others).toHaveLength(0);
    expect(experiment!.experiment).toBe("lower-semantic");
    expect(experiment!.control).toEqual({
      decisions: 130,
      accuracy: { judged: 100, correct: 45, rate: 0.45 },
      covered: 110,
      coverage: 110 / 130,
      clarifications: 20,
      clarificationRate: 20 / 130,
    });
    expect(experiment!.candidate.accuracy.rate).toBe(0.6);
    expect(experiment!.candidate.clarificationRate).toBeCloseTo(5 / 110);
    expect(experiment!.accuracyTest!.pValue).toBeCloseTo(0.0337, 3);
    expect(experiment!.accuracyTest!.significant).toBe(true);
    expect(experiment!.coverageTest!.difference).toBeCloseTo(105 / 110 - 110 / 130, 12);
    expect(experiment!.coverageTest!.significant).toBe(true);
    expect(experiment!.alpha).toBe(0.05);
  });

  it("honours alpha and keeps experiments apart", () => {
    const analyzer = createAnalyzer({ alpha: 0.01 });
    for (const event of variantEvents("control", { right: 45, wrong: 55, clarified: 0 })) analyzer.add(event);
    for (const event of variantEvents("candidate", { right: 60, wrong: 40, clarified: 0 })) analyzer.add(event);
    analyzer.add(makeEvent({ attempts: [["keyword", "a", 0.9, true]], ab: { experiment: "other", variant: "control" } }));
    const [first, second] = analyzer.result().experiments;
    expect(first!.accuracyTest!.significant).toBe(false);
    expect(second!.experiment).toBe("other");
    expect(second!.accuracyTest).toBeNull();
    expect(second!.coverageTest).toBeNull();
  });
});
