/**
 * The EventStore test kit: `@moe-router/tracker/testing`. A store implementation (JSONL,
 * PostgreSQL, a third party's) registers the shared behaviours with one call, under any runner
 * with `describe`/`it` (assertions use node:assert: no test library is needed).
 *
 * @example
 * import { describe, it } from "vitest";
 * import { eventStoreSuite } from "@moe-router/tracker/testing";
 * eventStoreSuite({ describe, it }, "my store", () => ({ fresh: async () => ({ open: () => openMyStore(dir) }) }));
 */
export { eventStoreSuite, type StoreHarness, type StoreLocation, type SuiteTestApi } from "./event-store-suite.js";
export { daysAgo, decisionRecord, outcomeRecord, sampleDecision } from "./records.js";
