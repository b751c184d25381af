/**
 * The conformance kit: one group per file under `groups/`, each registered under
 * "moe-router layer conformance". Groups that check a capability run only when the layer's
 * manifest claims it, and are skipped visibly otherwise.
 */
import { abortGroup } from "./groups/abort.js";
import { contractGroup } from "./groups/contract.js";
import { learningGroup } from "./groups/learning.js";
import { manifestGroup } from "./groups/manifest.js";
import { persistenceGroup } from "./groups/persistence.js";
import { DEFAULT_LEARN, DEFAULT_TASKS, type ConformanceOptions, type GroupSettings, type LayerUnderTest, type TestApi } from "./support.js";

/** The groups, by name, in the order they are registered. */
export const CONFORMANCE_GROUPS = ["contract", "manifest", "learning", "persistence", "abort signal"] as const;

/**
 * Registers the contract suite for a layer factory. `factory` is called afresh for each test
 * (with a fresh `dataDir`; twice over the same one for the persistence group) and the layer
 * is closed afterwards.
 */
export function layerConformance(test: TestApi, factory: LayerUnderTest, options: ConformanceOptions = {}): void {
  const settings: GroupSettings = {
    tasks: options.tasks ?? DEFAULT_TASKS,
    learnExamples: options.learnExamples ?? DEFAULT_LEARN,
    timeoutMs: options.timeoutMs ?? 30_000,
    abortSettleMs: options.abortSettleMs ?? 2_000,
    capabilities: options.capabilities,
  };
  test.describe("moe-router layer conformance", () => {
    contractGroup(test, factory, settings);
    manifestGroup(test, factory, settings);
    learningGroup(test, factory, settings);
    persistenceGroup(test, factory, settings);
    abortGroup(test, factory, settings);
  });
}
