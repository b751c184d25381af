import { describe, expect, it } from "vitest";
import { trainHead } from "../src/index.js";
import { clusters } from "./helpers.js";

describe("class weights", () => {
  // Overlapping clusters, 25:1 imbalance: unweighted training sacrifices the rare class.
  const options = { labels: ["common", "rare"], dimension: 6, spread: 1.4, seed: 11 };
  const train = clusters({ ...options, perLabel: [500, 20] });
  // Same seed, so the same centres (drawn first); balanced, so both recalls are measured well.
  const test = clusters({ ...options, perLabel: [400, 400] });
  const recall = (head: ReturnType<typeof trainHead>, label: string) => {
    const members = test.filter((e) => e.label === label);
    return members.filter((e) => head.predict(e.vector).label === label).length / members.length;
  };

  it('"balanced" raises recall of the rare class', () => {
    const plain = trainHead(train, { epochs: 30, validationShare: 0, classWeights: "none" });
    const balanced = trainHead(train, { epochs: 30, validationShare: 0, classWeights: "balanced" });
    expect(recall(balanced, "rare")).toBeGreaterThan(recall(plain, "rare") + 0.15);
    expect(recall(balanced, "common")).toBeLessThan(recall(plain, "common"));
  });

  it("explicit weights by label work the same way", () => {
    const weighted = trainHead(train, { epochs: 30, validationShare: 0, classWeights: { rare: 25 } });
    const plain = trainHead(train, { epochs: 30, validationShare: 0 });
    expect(recall(weighted, "rare")).toBeGreaterThan(recall(plain, "rare") + 0.15);
  });

  it("per-example weights multiply in", () => {
    const upweighted = train.map((e) => (e.label === "rare" ? { ...e, weight: 25 } : e));
    const weighted = trainHead(upweighted, { epochs: 30, validationShare: 0 });
    const plain = trainHead(train, { epochs: 30, validationShare: 0 });
    expect(recall(weighted, "rare")).toBeGreaterThan(recall(plain, "rare") + 0.15);
  });
});
