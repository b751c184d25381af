/**
 * The manifest tells the truth: a layer claiming `learn` changes a verdict after learning,
 * one claiming `deterministic` repeats itself (sequentially and under concurrent calls).
 */
import assert from "node:assert/strict";
import { assertSameVerdict, register, routeOnce, type GroupSettings, type LayerUnderTest, type TestApi } from "../support.js";
import type { Verdict } from "../../types.js";

/** Registers the manifest group. */
export function manifestGroup(test: TestApi, factory: LayerUnderTest, settings: GroupSettings): void {
  const { tasks, learnExamples } = settings;
  test.describe("manifest", () => {
    register(
      test,
      factory,
      settings,
      "changes a verdict after learning",
      async ({ layer }) => {
        const before: Verdict[] = [];
        for (const example of learnExamples) before.push(await routeOnce(layer, { description: example.text }));
        await layer.learn!(learnExamples);
        let changed = 0;
        for (const [i, example] of learnExamples.entries()) {
          const after = await routeOnce(layer, { description: example.text });
          if (after.expert !== before[i]!.expert || Math.abs(after.confidence - before[i]!.confidence) > 1e-9) changed++;
        }
        assert.ok(changed > 0, `layer "${layer.name}" claims capabilities.learn but learn() changed none of ${learnExamples.length} verdicts`);
      },
      "learn",
    );

    register(
      test,
      factory,
      settings,
      "repeats itself",
      async ({ layer }) => {
        const first: Verdict[] = [];
        for (const task of tasks) first.push(await routeOnce(layer, task));
        for (const [i, task] of tasks.entries()) assertSameVerdict(first[i]!, await routeOnce(layer, task), `routing "${task.description.slice(0, 40)}" twice`);
        const concurrent = await Promise.all(tasks.map((task, i) => routeOnce(layer, task, `concurrent-${i}`)));
        concurrent.forEach((verdict, i) => assertSameVerdict(first[i]!, verdict, `routing "${tasks[i]!.description.slice(0, 40)}" concurrently`));
      },
      "deterministic",
    );
  });
}
