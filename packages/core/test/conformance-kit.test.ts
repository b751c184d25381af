import { describe, expect, it } from "vitest";
import type { Layer } from "../src/index.js";
import { layerConformance } from "../src/testing/index.js";

/** Collects the kit's tests instead of registering them, so we can check it catches bad layers. */
function collect(factory: () => Layer): Map<string, () => Promise<unknown>> {
  const tests = new Map<string, () => Promise<unknown>>();
  layerConformance({ describe: (_name, body) => body(), it: (name, body) => void tests.set(name, async () => body()) }, factory);
  return tests;
}

async function failures(factory: () => Layer): Promise<string[]> {
  const failed: string[] = [];
  for (const [name, run] of collect(factory)) {
    try {
      await run();
    } catch {
      failed.push(name);
    }
  }
  return failed;
}

describe("the conformance kit catches contract breaches", () => {
  it("fails a layer whose confidence leaves [0,1]", async () => {
    expect(await failures(() => ({ name: "bad", route: () => ({ expert: "a", confidence: 1.3 }) }))).toContain(
      "returns a well-formed verdict for every sample task, including odd input",
    );
  });

  it("fails a layer that mutates the task", async () => {
    const mutating: Layer = { name: "m", route: (task) => ((task as { description: string }).description = "changed", { expert: "a", confidence: 0.5 }) };
    expect(await failures(() => mutating)).toContain("does not mutate the task");
  });

  it("fails a layer that returns a promise without claiming async", async () => {
    expect(await failures(() => ({ name: "p", route: async () => ({ expert: "a", confidence: 0.5 }) }))).toContain(
      "answers synchronously unless capabilities.async is claimed",
    );
  });

  it("fails a layer that claims determinism but is random", async () => {
    expect(await failures(() => ({ name: "r", capabilities: { deterministic: true }, route: () => ({ expert: "a", confidence: Math.random() }) }))).toContain(
      "is deterministic when it claims to be",
    );
  });

  it("fails a layer that claims learning but ignores examples", async () => {
    const ignoring: Layer = { name: "i", capabilities: { learn: true }, route: () => ({ expert: "nobody", confidence: 0 }), learn: () => undefined };
    expect(await failures(() => ignoring)).toContain("learns from labelled examples when it claims to");
  });

  it("passes a well-behaved layer", async () => {
    expect(await failures(() => ({ name: "ok", route: () => ({ expert: "a", confidence: 0.5 }) }))).toEqual([]);
  });
});
