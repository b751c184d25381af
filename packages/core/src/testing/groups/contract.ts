/** The contract every layer keeps, whatever it claims: shape, verdicts, no mutation, sync-ness, close. */
import assert from "node:assert/strict";
import { assertWellFormed, context, register, routeOnce, type GroupSettings, type LayerUnderTest, type TestApi } from "../support.js";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const METHODS = ["learn", "fit", "calibrate", "ready"] as const;

/** Registers the contract group. */
export function contractGroup(test: TestApi, factory: LayerUnderTest, settings: GroupSettings): void {
  const { tasks } = settings;
  test.describe("contract", () => {
    register(test, factory, settings, "has a non-empty name and a well-formed capabilities manifest", ({ layer }) => {
      assert.equal(typeof layer.name, "string");
      assert.ok(layer.name.length > 0, "layer.name must not be empty");
      assert.equal(typeof layer.route, "function");
      const claims = layer.capabilities;
      if (claims === undefined) return;
      assert.equal(typeof claims, "object");
      for (const method of METHODS) {
        if (claims[method]) assert.equal(typeof layer[method], "function", `capabilities.${method} is claimed but ${method}() is missing`);
      }
      if (claims.experts !== undefined) assert.ok(Array.isArray(claims.experts) && claims.experts.every((e) => typeof e === "string" && e), "capabilities.experts must be an array of expert names");
    });

    register(test, factory, settings, "returns a well-formed verdict for every sample task, including odd input", async ({ layer }) => {
      for (const task of tasks) assertWellFormed(layer, await routeOnce(layer, task));
    });

    register(test, factory, settings, "does not mutate the task", async ({ layer }) => {
      for (const task of tasks) {
        const copy = structuredClone(task);
        const frozen = deepFreeze(structuredClone(task));
        await routeOnce(layer, frozen);
        assert.deepEqual(frozen, copy);
      }
    });

    register(test, factory, settings, "answers synchronously unless capabilities.async is claimed", ({ layer }) => {
      if (layer.capabilities?.async) return;
      const result = layer.route(tasks[0]!, context("sync-check"));
      assert.ok(!(result && typeof (result as Promise<unknown>).then === "function"), `layer "${layer.name}" returned a promise but does not claim capabilities.async`);
    });

    register(test, factory, settings, "gives well-formed answers under concurrent calls", async ({ layer }) => {
      const concurrent = await Promise.all(tasks.map((task, i) => routeOnce(layer, task, `concurrent-${i}`)));
      for (const verdict of concurrent) assertWellFormed(layer, verdict);
    });

    register(test, factory, settings, "can be closed twice", async ({ layer }) => {
      await layer.close?.();
      await layer.close?.();
    });
  });
}
