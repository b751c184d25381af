import assert from "node:assert/strict";
import { checkVerdict } from "../kit/verdict.js";
import type { LabelledExample, Layer, LayerContext, RoutingTask, Verdict } from "../types.js";

/** The parts of a test runner the kit needs (vitest, node:test, jest all fit). */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => unknown, timeout?: number): void;
}

/** Options of {@link layerConformance}. */
export interface ConformanceOptions {
  /** Tasks to route; defaults cover security, CI/CD, inventory, development and odd input. */
  readonly tasks?: readonly RoutingTask[];
  /** Examples for the learn group: after learn(), routing each text gives its expert. */
  readonly learnExamples?: readonly LabelledExample[];
  /** Per-test timeout (ms). Default 30,000. */
  readonly timeoutMs?: number;
}

const DEFAULT_TASKS: readonly RoutingTask[] = [
  { id: "t1", description: "Fix authentication bug in login system" },
  { id: "t2", description: "Deploy API to production" },
  { id: "t3", description: "Run a security audit of the payment service", metadata: { priority: "high" } },
  { id: "t4", description: "Catalog all dependencies of the web app" },
  { description: "Hello" },
  { description: "¿Dónde está el informe? 日本語のテキスト 🚀" },
  { description: "!!! ??? ..." },
  { description: "deploy ".repeat(400) },
];

const DEFAULT_LEARN: readonly LabelledExample[] = [
  { text: "Rotate the leaked API keys for the billing service", expert: "security-master" },
  { text: "Rotate the leaked API keys for the billing service now", expert: "security-master" },
  { text: "Update the nightly release pipeline to cache artifacts", expert: "cicd-master" },
  { text: "Update the nightly release pipeline to cache build artifacts", expert: "cicd-master" },
];

function context(eventId: string): LayerContext {
  return { eventId };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

async function routeOnce(layer: Layer, task: RoutingTask, eventId = "conformance"): Promise<Verdict> {
  return await layer.route(task, context(eventId));
}

function assertWellFormed(layer: Layer, verdict: unknown): asserts verdict is Verdict {
  const experts = layer.capabilities?.experts?.length ? new Set(layer.capabilities.experts) : undefined;
  const problem = checkVerdict(verdict, layer.name, experts);
  assert.equal(problem, undefined, problem?.message);
  const v = verdict as Verdict;
  if (v.probabilities) {
    const sum = Object.values(v.probabilities).reduce((a, b) => a + b, 0);
    assert.ok(sum <= 1 + 1e-6, `probabilities of layer "${layer.name}" sum to ${sum}, over 1`);
  }
}

/**
 * Registers the contract suite for a layer factory. Groups run according to the
 * layer's capabilities manifest: determinism and learning only when claimed.
 * `factory` is called afresh for each test; layers are closed afterwards.
 */
export function layerConformance(test: TestApi, factory: () => Layer | Promise<Layer>, options: ConformanceOptions = {}): void {
  const tasks = options.tasks ?? DEFAULT_TASKS;
  const timeout = options.timeoutMs ?? 30_000;
  const withLayer = (body: (layer: Layer) => Promise<void> | void) => async () => {
    const layer = await factory();
    try {
      await body(layer);
    } finally {
      await layer.close?.();
    }
  };
  const it = (name: string, body: (layer: Layer) => Promise<void> | void) => test.it(name, withLayer(body), timeout);

  test.describe("moe-router layer conformance", () => {
    it("has a non-empty name and a well-formed capabilities manifest", (layer) => {
      assert.equal(typeof layer.name, "string");
      assert.ok(layer.name.length > 0, "layer.name must not be empty");
      assert.equal(typeof layer.route, "function");
      if (layer.capabilities !== undefined) assert.equal(typeof layer.capabilities, "object");
      if (layer.capabilities?.learn) assert.equal(typeof layer.learn, "function", "capabilities.learn is claimed but learn() is missing");
    });

    it("returns a well-formed verdict for every sample task, including odd input", async (layer) => {
      for (const task of tasks) assertWellFormed(layer, await routeOnce(layer, task));
    });

    it("does not mutate the task", async (layer) => {
      for (const task of tasks) {
        const copy = structuredClone(task);
        const frozen = deepFreeze(structuredClone(task));
        await routeOnce(layer, frozen);
        assert.deepEqual(frozen, copy);
      }
    });

    it("answers synchronously unless capabilities.async is claimed", (layer) => {
      if (layer.capabilities?.async) return;
      const result = layer.route(tasks[0]!, context("sync-check"));
      assert.ok(!(result && typeof (result as Promise<unknown>).then === "function"), `layer "${layer.name}" returned a promise but does not claim capabilities.async`);
    });

    it("gives consistent answers under concurrent calls", async (layer) => {
      const sequential: Verdict[] = [];
      for (const task of tasks) sequential.push(await routeOnce(layer, task));
      const concurrent = await Promise.all(tasks.map((task, i) => routeOnce(layer, task, `concurrent-${i}`)));
      concurrent.forEach((verdict, i) => {
        assertWellFormed(layer, verdict);
        if (layer.capabilities?.deterministic) {
          assert.equal(verdict.expert, sequential[i]!.expert);
          assert.ok(Math.abs(verdict.confidence - sequential[i]!.confidence) < 1e-9);
        }
      });
    });

    it("is deterministic when it claims to be", async (layer) => {
      if (!layer.capabilities?.deterministic) return;
      for (const task of tasks) {
        const a = await routeOnce(layer, task);
        const b = await routeOnce(layer, task);
        assert.equal(a.expert, b.expert);
        assert.ok(Math.abs(a.confidence - b.confidence) < 1e-9, `confidence changed between two calls: ${a.confidence} vs ${b.confidence}`);
      }
    });

    it("learns from labelled examples when it claims to", async (layer) => {
      if (!layer.capabilities?.learn) return;
      const examples = options.learnExamples ?? DEFAULT_LEARN;
      await layer.learn!([]);
      await layer.learn!(examples);
      for (const example of examples) {
        const verdict = await routeOnce(layer, { description: example.text });
        assertWellFormed(layer, verdict);
        assert.equal(verdict.expert, example.expert, `after learn(), "${example.text}" routed to ${verdict.expert}, expected ${example.expert}`);
      }
    });

    it("can be closed", async (layer) => {
      if (typeof layer.close === "function") await layer.close();
    });
  });
}
