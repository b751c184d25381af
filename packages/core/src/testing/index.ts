/**
 * The conformance kit for layer authors: `@moe-router/core/testing`.
 *
 * @example
 * import { describe, it } from "vitest";
 * import { layerConformance } from "@moe-router/core/testing";
 * layerConformance({ describe, it }, () => myLayer({ ... }));
 */
export { layerConformance, type ConformanceOptions, type TestApi } from "./conformance.js";
