import { jsonlStore } from "./jsonl-store.js";
import { postgresStore } from "./stores/postgres/store.js";
import { parseStoreSpec } from "./store-spec.js";
import type { EventStore } from "./types.js";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Directory that relative paths resolve against. Default: process.cwd(). */
  readonly cwd?: string;
}

/**
 * Opens a store from a spec string, as written in a config file or on the command line:
 * `"jsonl:.moe-router/events.jsonl?rotate=monthly&maxBytes=100MB"`, `"logs/events.jsonl"`,
 * or `"postgres://user@127.0.0.1:5432/db"` (the grammar is {@link parseStoreSpec}'s).
 * @throws MoeRouterError INVALID_CONFIG for a spec it cannot read; what the store factory throws otherwise.
 */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<EventStore> {
  const parsed = parseStoreSpec(spec, options.cwd !== undefined ? { cwd: options.cwd } : {});
  switch (parsed.kind) {
    case "postgres":
      return postgresStore({ connectionString: parsed.connectionString, ...(parsed.tablePrefix ? { tablePrefix: parsed.tablePrefix } : {}) });
    case "jsonl":
      return jsonlStore({ path: parsed.path, ...(parsed.rotate ? { rotate: parsed.rotate } : {}) });
    default:
      throw new TypeError(`openStore: unexpected store kind "${parsed.kind}"`);
  }
}
