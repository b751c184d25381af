/**
 * The VectorStore test kit: `@moe-router/layer-rag/testing`. Any runner with
 * `describe`/`it` (vitest, node:test, jest); assertions use node:assert, so the kit needs no
 * test library of its own.
 *
 * @example
 * import { describe, it } from "vitest";
 * import { vectorStoreSuite } from "@moe-router/layer-rag/testing";
 * vectorStoreSuite({ describe, it }, "my store", (settings) => openMyStore(settings), { persistent: true });
 */
export { vectorStoreSuite, type StoreSettings, type SuiteTestApi, type VectorStoreSuiteOptions } from "./vector-store-suite.js";
