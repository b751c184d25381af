/**
 * `@moe-router/alerts/rules`: validating alert rules and monitor settings without the evaluator
 * (which loads the tracker), so a router that validates its config at start-up stays light.
 */
export { parseDuration } from "./duration.js";
export { DEFAULT_BASELINE, DEFAULT_MIN_SAMPLES, METRICS, resolveAlertRules, validateAlertRules, validateMonitorSettings } from "./validate.js";
