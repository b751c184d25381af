/**
 * What every conformance group shares: the test-runner shape, the options, the sample tasks,
 * and `register`, which creates a fresh layer per test, skips a test visibly when the layer's
 * manifest does not claim the capability it checks, and closes the layer afterwards.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkVerdict } from "../kit/verdict.js";
import type { LabelledExample, Layer, LayerCapabilities, LayerContext, RoutingTask, Verdict } from "../types.js";

/** The test context a runner hands a test body; vitest's and node:test's have `skip()`. */
export interface TestContextLike {
  skip?(note?: string): unknown;
}

/** The parts of a test runner the kit needs (vitest, node:test, jest all fit). */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: (context?: TestContextLike) => unknown, timeout?: number): void;
}

/** What the kit hands the factory: a fresh directory for state (the same one across a restart). */
export interface ConformanceContext {
  /** An empty temporary directory for this test; removed afterwards. */
  readonly dataDir: string;
}

/** Makes the layer under test. Called afresh for each test (twice for a restart). */
export type LayerUnderTest = (context: ConformanceContext) => Layer | Promise<Layer>;

/** Options of {@link layerConformance}. */
export interface ConformanceOptions {
  /** Tasks to route; defaults cover security, CI/CD, inventory, development and odd input. */
  readonly tasks?: readonly RoutingTask[];
  /** Examples for the learn, manifest and persistence groups: after learn(), routing each text gives its expert. */
  readonly learnExamples?: readonly LabelledExample[];
  /** Per-test timeout (ms). Default 30,000. */
  readonly timeoutMs?: number;
  /** How soon an async layer must settle once its signal is aborted (ms). Default 2,000. */
  readonly abortSettleMs?: number;
  /**
   * The layer's manifest, when known up front. With it, groups the manifest does not claim
   * are registered as skipped (for runners whose test context has no `skip()`, e.g. jest);
   * without it, each such test creates the layer, reads its manifest and skips itself.
   */
  readonly capabilities?: LayerCapabilities;
}

/** A group's settings, resolved once. */
export interface GroupSettings {
  readonly tasks: readonly RoutingTask[];
  readonly learnExamples: readonly LabelledExample[];
  readonly timeoutMs: number;
  readonly abortSettleMs: number;
  readonly capabilities: LayerCapabilities | undefined;
}

export const DEFAULT_TASKS: readonly RoutingTask[] = [
  { id: "t1", description: "Fix authentication bug in login system" },
  { id: "t2", description: "Deploy API to production" },
  { id: "t3", description: "Run a security audit of the payment service", metadata: { priority: "high" } },
  { id: "t4", description: "Catalog all dependencies of the web app" },
  { description: "Hello" },
  { description: "¿Dónde está el informe? 日本語のテキスト 🚀" },
  { description: "!!! ??? ..." },
  { description: "deploy ".repeat(400) },
];

export const DEFAULT_LEARN: readonly LabelledExample[] = [
  { text: "Rotate the leaked API keys for the billing service", expert: "security-master" },
  { text: "Rotate the leaked API keys for the billing service now", expert: "security-master" },
  { text: "Update the nightly release pipeline to cache artifacts", expert: "cicd-master" },
  { text: "Update the nightly release pipeline to cache build artifacts", expert: "cicd-master" },
];

/** A capability a group checks, and the reason shown when a test is skipped for it. */
export type Claim = keyof Pick<LayerCapabilities, "learn" | "deterministic" | "async" | "persistence">;

/** Thrown (and caught by `register`) to skip on runners without a test-context `skip()`. */
class NotClaimed extends Error {}

/** What a test body receives. */
export interface Harness {
  readonly layer: Layer;
  /** Closes the current layer and creates a fresh one over the same data directory. */
  restart(): Promise<Layer>;
}

/**
 * Registers one test. `claim`: the capability the test checks; when the layer's manifest
 * does not claim it, the test is skipped (visibly: `it.skip` when `capabilities` were given,
 * else the runner's `context.skip()`).
 */
export function register(test: TestApi, factory: LayerUnderTest, settings: GroupSettings, name: string, body: (harness: Harness) => Promise<void> | void, claim?: Claim): void {
  const label = claim ? `${name} [capabilities.${claim}]` : name;
  if (claim && settings.capabilities && !settings.capabilities[claim]) {
    // A runner's `it` is a plain function (vitest, node:test), not a method that needs `test` as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const it = test.it as { skip?: (name: string, body: () => void) => void };
    if (typeof it.skip === "function") it.skip(label, () => {});
    else test.it(`${label} (skipped: not claimed)`, () => {});
    return;
  }
  test.it(
    label,
    async (testContext?: TestContextLike) => {
      const dataDir = mkdtempSync(join(tmpdir(), "moe-conformance-"));
      let layer = await factory({ dataDir });
      try {
        if (claim && !layer.capabilities?.[claim]) {
          if (typeof testContext?.skip === "function") testContext.skip(`capabilities.${claim} is not claimed`);
          throw new NotClaimed();
        }
        await body({
          get layer() {
            return layer;
          },
          async restart() {
            const closing = layer;
            await closing.close?.();
            layer = await factory({ dataDir });
            return layer;
          },
        });
      } catch (error) {
        if (!(error instanceof NotClaimed)) throw error;
      } finally {
        await layer.close?.();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    settings.timeoutMs,
  );
}

export function context(eventId: string, signal?: AbortSignal): LayerContext {
  return signal ? { eventId, signal } : { eventId };
}

export async function routeOnce(layer: Layer, task: RoutingTask, eventId = "conformance"): Promise<Verdict> {
  return await layer.route(task, context(eventId));
}

export function assertWellFormed(layer: Layer, verdict: unknown): asserts verdict is Verdict {
  const experts = layer.capabilities?.experts?.length ? new Set(layer.capabilities.experts) : undefined;
  const problem = checkVerdict(verdict, layer.name, experts);
  assert.equal(problem, undefined, problem?.message);
  const v = verdict as Verdict;
  if (v.probabilities) {
    const sum = Object.values(v.probabilities).reduce((a, b) => a + b, 0);
    assert.ok(sum <= 1 + 1e-6, `probabilities of layer "${layer.name}" sum to ${sum}, over 1`);
  }
}

/** Same expert, and confidences within `tolerance` (state persisted as float32 may round). */
export function assertSameVerdict(a: Verdict, b: Verdict, what: string, tolerance = 1e-9): void {
  assert.equal(b.expert, a.expert, `${what}: expert changed from ${a.expert} to ${b.expert}`);
  assert.ok(Math.abs(a.confidence - b.confidence) < tolerance, `${what}: confidence changed from ${a.confidence} to ${b.confidence}`);
}
