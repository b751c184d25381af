/** A learning layer absorbs labelled examples: after learn(), each example routes to its expert. */
import assert from "node:assert/strict";
import { assertWellFormed, register, routeOnce, type GroupSettings, type LayerUnderTest, type TestApi } from "../support.js";

/** Registers the learning group. */
export function learningGroup(test: TestApi, factory: LayerUnderTest, settings: GroupSettings): void {
  const { learnExamples } = settings;
  test.describe("learning", () => {
    register(
      test,
      factory,
      settings,
      "accepts an empty batch",
      async ({ layer }) => {
        await layer.learn!([]);
      },
      "learn",
    );

    register(
      test,
      factory,
      settings,
      "routes learned examples to their experts",
      async ({ layer }) => {
        await layer.learn!(learnExamples);
        for (const example of learnExamples) {
          const verdict = await routeOnce(layer, { description: example.text });
          assertWellFormed(layer, verdict);
          assert.equal(verdict.expert, example.expert, `after learn(), "${example.text}" routed to ${verdict.expert}, expected ${example.expert}`);
        }
      },
      "learn",
    );
  });
}
