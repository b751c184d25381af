/**
 * Where the router keeps its state when the config does not say: one module, so the CLI, the
 * embedded default config and the router agree (relative paths resolve against the working
 * directory, or the config file's directory for a config file).
 */

/** The data directory layers persist state in (`dataDir`). */
export const DEFAULT_DATA_DIR = ".moe-router";

/** The event log when the config names no store (`tracking.store`). */
export const DEFAULT_STORE = `${DEFAULT_DATA_DIR}/events.jsonl`;

/** The tuned thresholds file when the config names none (`thresholdsFile`). */
export const DEFAULT_THRESHOLDS_FILE = `${DEFAULT_DATA_DIR}/thresholds.json`;
