/**
 * The conformance kit for layer authors: `@moe-router/core/testing`.
 *
 * @example
 * import { describe, it } from "vitest";
 * import { layerConformance } from "@moe-router/core/testing";
 * layerConformance({ describe, it }, ({ dataDir }) => myLayer({ dataDir }));
 */
export { CONFORMANCE_GROUPS, layerConformance } from "./conformance.js";
export type { ConformanceContext, ConformanceOptions, LayerUnderTest, TestApi, TestContextLike } from "./support.js";
