/**
 * An async layer honours `context.signal`: when the signal is aborted (before or during a
 * route) the route settles (resolves or rejects) promptly instead of running on.
 */
import assert from "node:assert/strict";
import { context, register, type GroupSettings, type LayerUnderTest, type TestApi } from "../support.js";
import type { Layer, RoutingTask } from "../../types.js";

async function settlesWithin(layer: Layer, task: RoutingTask, controller: AbortController, abortAfterMs: number, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let aborter: NodeJS.Timeout | undefined;
  if (abortAfterMs <= 0) controller.abort();
  else aborter = setTimeout(() => controller.abort(), abortAfterMs);
  try {
    const route = Promise.resolve()
      .then(() => layer.route(task, context("abort-check", controller.signal)))
      .then(
        () => "settled",
        () => "settled",
      );
    const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve("late"), abortAfterMs + limitMs)));
    const outcome = await Promise.race([route, late]);
    assert.equal(outcome, "settled", `layer "${layer.name}" did not settle within ${limitMs} ms of its signal being aborted`);
  } finally {
    clearTimeout(timer);
    clearTimeout(aborter);
  }
}

/** Registers the abort group. */
export function abortGroup(test: TestApi, factory: LayerUnderTest, settings: GroupSettings): void {
  const { tasks, abortSettleMs } = settings;
  test.describe("abort signal", () => {
    register(
      test,
      factory,
      settings,
      "settles promptly when the signal is already aborted",
      async ({ layer }) => {
        await settlesWithin(layer, tasks[0]!, new AbortController(), 0, abortSettleMs);
      },
      "async",
    );

    register(
      test,
      factory,
      settings,
      "settles promptly when the signal is aborted mid-route",
      async ({ layer }) => {
        await settlesWithin(layer, tasks[1] ?? tasks[0]!, new AbortController(), 5, abortSettleMs);
      },
      "async",
    );
  });
}
