/**
 * A persistent layer's state survives a restart: close it, create it again over the same data
 * directory, and it answers as before (learned examples included, when it learns).
 */
import assert from "node:assert/strict";
import { assertSameVerdict, register, routeOnce, type GroupSettings, type LayerUnderTest, type TestApi } from "../support.js";
import type { Verdict } from "../../types.js";

/** Registers the persistence group. */
export function persistenceGroup(test: TestApi, factory: LayerUnderTest, settings: GroupSettings): void {
  const { tasks, learnExamples } = settings;
  test.describe("persistence", () => {
    register(
      test,
      factory,
      settings,
      "answers the same after a restart",
      async (harness) => {
        const before: Verdict[] = [];
        for (const task of tasks) before.push(await routeOnce(harness.layer, task));
        const restarted = await harness.restart();
        for (const [i, task] of tasks.entries()) assertSameVerdict(before[i]!, await routeOnce(restarted, task), `"${task.description.slice(0, 40)}" after a restart`, 1e-6);
      },
      "persistence",
    );

    register(
      test,
      factory,
      settings,
      "keeps what it learned across a restart",
      async (harness) => {
        if (!harness.layer.capabilities?.learn) return;
        await harness.layer.learn!(learnExamples);
        const learned: Verdict[] = [];
        for (const example of learnExamples) learned.push(await routeOnce(harness.layer, { description: example.text }));
        const restarted = await harness.restart();
        for (const [i, example] of learnExamples.entries()) {
          const verdict = await routeOnce(restarted, { description: example.text });
          assert.equal(verdict.expert, learned[i]!.expert, `after a restart, the learned "${example.text}" routed to ${verdict.expert}, not ${learned[i]!.expert}`);
        }
      },
      "persistence",
    );
  });
}
