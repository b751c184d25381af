import type { RouterConfig } from "./types.js";

/** The prototype's experts. */
export const DEFAULT_EXPERTS = ["security-master", "cicd-master", "inventory-master", "development-master", "coordinator-master"] as const;

/**
 * The embedded default: runs with no config file and no server.
 * Keyword rules (the prototype's four) at 0.85, then the clarification fallback.
 */
export const DEFAULT_CONFIG: RouterConfig = {
  experts: [...DEFAULT_EXPERTS],
  fallback: { expert: "coordinator-master", ambiguityMargin: 0.1 },
  layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }],
  tracking: { store: ".moe-router/events.jsonl" },
  thresholdsFile: ".moe-router/thresholds.json",
  dataDir: ".moe-router",
};
