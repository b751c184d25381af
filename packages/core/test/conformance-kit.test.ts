import { describe, expect, it } from "vitest";
import type { Layer, LayerCapabilities } from "../src/index.js";
import { layerConformance, type ConformanceOptions, type TestContextLike } from "../src/testing/index.js";

interface Outcome {
  readonly group: string;
  readonly name: string;
  readonly result: "passed" | "failed" | "skipped";
  readonly message?: string;
}

class Skipped extends Error {}

/** Runs the kit's tests itself (no runner), recording each one's group and outcome. */
async function run(factory: () => Layer | Promise<Layer>, options: ConformanceOptions = {}): Promise<Outcome[]> {
  const registered: { group: string; name: string; body: (context?: TestContextLike) => unknown; skipped: boolean }[] = [];
  const path: string[] = [];
  const it = Object.assign((name: string, body: (context?: TestContextLike) => unknown) => void registered.push({ group: path[1] ?? "", name, body, skipped: false }), {
    skip: (name: string, body: () => unknown) => void registered.push({ group: path[1] ?? "", name, body, skipped: true }),
  });
  layerConformance(
    {
      describe: (name, body) => {
        path.push(name);
        body();
        path.pop();
      },
      it,
    },
    factory,
    { abortSettleMs: 300, ...options },
  );
  const outcomes: Outcome[] = [];
  for (const test of registered) {
    if (test.skipped) {
      outcomes.push({ group: test.group, name: test.name, result: "skipped" });
      continue;
    }
    try {
      await test.body({
        skip: (note?: string) => {
          throw new Skipped(note);
        },
      });
      outcomes.push({ group: test.group, name: test.name, result: "passed" });
    } catch (error) {
      outcomes.push({ group: test.group, name: test.name, result: error instanceof Skipped ? "skipped" : "failed", message: (error as Error).message });
    }
  }
  return outcomes;
}

const failedGroups = (outcomes: readonly Outcome[]) => [...new Set(outcomes.filter((o) => o.result === "failed").map((o) => o.group))];
const failedNames = (outcomes: readonly Outcome[]) => outcomes.filter((o) => o.result === "failed").map((o) => o.name);

function honest(capabilities?: LayerCapabilities): Layer {
  return { name: "ok", ...(capabilities ? { capabilities } : {}), route: () => ({ expert: "a", confidence: 0.5 }) };
}

describe("the conformance kit catches contract breaches", () => {
  it("fails a layer whose confidence leaves [0,1] in the contract group", async () => {
    const outcomes = await run(() => ({ name: "bad", route: () => ({ expert: "a", confidence: 1.3 }) }));
    expect(failedGroups(outcomes)).toEqual(["contract"]);
    expect(failedNames(outcomes)).toContain("returns a well-formed verdict for every sample task, including odd input");
  });

  it("fails a layer that mutates the task", async () => {
    const mutating: Layer = { name: "m", route: (task) => (((task as { description: string }).description = "changed"), { expert: "a", confidence: 0.5 }) };
    expect(failedNames(await run(() => mutating))).toContain("does not mutate the task");
  });

  it("fails a layer that returns a promise without claiming async", async () => {
    expect(failedNames(await run(() => ({ name: "p", route: async () => ({ expert: "a", confidence: 0.5 }) })))).toContain("answers synchronously unless capabilities.async is claimed");
  });

  it("fails a layer that claims a method it lacks in the contract group", async () => {
    const outcomes = await run(() => honest({ calibrate: true }));
    expect(failedNames(outcomes)).toEqual(["has a non-empty name and a well-formed capabilities manifest"]);
  });

  it("passes a well-behaved layer, and skips visibly the groups its manifest does not claim", async () => {
    const outcomes = await run(() => honest());
    expect(failedNames(outcomes)).toEqual([]);
    const skipped = outcomes.filter((o) => o.result === "skipped");
    expect(new Set(skipped.map((o) => o.group))).toEqual(new Set(["manifest", "learning", "persistence", "abort signal"]));
    // The old kit reported "✓ learns from labelled examples when it claims to" for a layer that does not learn.
    expect(outcomes.find((o) => o.name.startsWith("routes learned examples"))?.result).toBe("skipped");
    expect(skipped.every((o) => /\[capabilities\.\w+\]$/.test(o.name))).toBe(true);
  });

  it("registers unclaimed groups with it.skip when the manifest is given up front", async () => {
    const outcomes = await run(() => honest(), { capabilities: {} });
    expect(outcomes.filter((o) => o.result === "skipped").length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.group === "learning").every((o) => o.result === "skipped")).toBe(true);
  });
});

describe("a deliberately lying layer fails the right group", () => {
  it("claims determinism but is random: the manifest group fails, nothing else", async () => {
    const outcomes = await run(() => ({ name: "r", capabilities: { deterministic: true }, route: () => ({ expert: "a", confidence: Math.random() }) }));
    expect(failedGroups(outcomes)).toEqual(["manifest"]);
    expect(failedNames(outcomes)).toEqual(["repeats itself [capabilities.deterministic]"]);
  });

  it("claims learning but ignores examples: the manifest and learning groups fail", async () => {
    const ignoring: Layer = { name: "i", capabilities: { learn: true }, route: () => ({ expert: "nobody", confidence: 0 }), learn: () => undefined };
    const outcomes = await run(() => ignoring);
    expect(failedNames(outcomes)).toEqual(["changes a verdict after learning [capabilities.learn]", "routes learned examples to their experts [capabilities.learn]"]);
  });

  it("claims persistence but forgets on restart: the persistence group fails", async () => {
    // Learns in memory only; each factory call starts empty.
    const forgetful = (): Layer => {
      const table = new Map<string, string>();
      return {
        name: "forgetful",
        capabilities: { learn: true, persistence: true, deterministic: true },
        route: (task) => ({ expert: table.get(task.description) ?? "coordinator-master", confidence: table.has(task.description) ? 1 : 0 }),
        learn: (examples) => void examples.forEach((e) => table.set(e.text, e.expert)),
      };
    };
    const outcomes = await run(forgetful);
    expect(failedGroups(outcomes)).toEqual(["persistence"]);
    expect(failedNames(outcomes)).toEqual(["keeps what it learned across a restart [capabilities.persistence]"]);
  });

  it("claims async but ignores its signal and runs on: the abort group fails", async () => {
    const stubborn: Layer = {
      name: "stubborn",
      capabilities: { async: true },
      route: () => new Promise((resolve) => setTimeout(() => resolve({ expert: "a", confidence: 0.5 }), 1_000)),
    };
    const outcomes = await run(() => stubborn);
    expect(failedGroups(outcomes)).toEqual(["abort signal"]);
  });

  it("an async layer that rejects on abort passes the abort group", async () => {
    const polite: Layer = {
      name: "polite",
      capabilities: { async: true },
      route: (_task, context) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve({ expert: "a", confidence: 0.5 }), 1_000);
          const stop = () => {
            clearTimeout(timer);
            reject(new Error("aborted"));
          };
          if (context.signal?.aborted) stop();
          else context.signal?.addEventListener("abort", stop, { once: true });
          if (!context.signal) {
            clearTimeout(timer);
            resolve({ expert: "a", confidence: 0.5 });
          }
        }),
    };
    const outcomes = await run(() => polite);
    expect(failedGroups(outcomes)).toEqual([]);
    expect(outcomes.filter((o) => o.group === "abort signal").map((o) => o.result)).toEqual(["passed", "passed"]);
  });
});
