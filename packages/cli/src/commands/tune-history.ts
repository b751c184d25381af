import { loadRouterConfig, thresholdsStoreSpec } from "@moe-router/router";
import { openThresholdsStore, rollbackThresholds, thresholdsHistory, type ThresholdsStore } from "@moe-router/tuner";
import { argumentError } from "../args.js";
import type { CliIO } from "../io.js";
import { printJson, printText } from "../output.js";

/** What `tune` was asked about its history: `--rollback [N]` (N absent: undo the latest change) or `--history`. */
export interface HistoryRequest {
  readonly rollback?: { readonly to?: number };
  readonly history?: boolean;
}

/**
 * Takes `--rollback [N]` out of tune's arguments: its number is optional, which the argument
 * parser cannot express, so it is read here (a following whole number is N).
 */
export function takeRollback(argv: readonly string[]): { argv: string[]; rollback?: { to?: number } } {
  const rest: string[] = [];
  let rollback: { to?: number } | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^--rollback=(.*)$/.exec(arg);
    if (arg !== "--rollback" && !inline) {
      rest.push(arg);
      continue;
    }
    if (rollback) throw argumentError("Give --rollback once.");
    const value = inline ? inline[1]! : /^\d+$/.test(argv[i + 1] ?? "") ? argv[++i]! : undefined;
    if (value !== undefined && !/^\d{1,9}$/.test(value))
      throw argumentError(`--rollback takes a history entry number (1 = the oldest, 0 = the config's thresholds; see tune --history); got "${value}".`);
    rollback = value === undefined ? {} : { to: Number(value) };
  }
  return { argv: rest, ...(rollback ? { rollback } : {}) };
}

/** Opens the thresholds store the config names (file or PostgreSQL table). */
async function openConfigured(configFile: string | undefined, io: CliIO): Promise<{ store: ThresholdsStore; spec: string }> {
  const { config } = await loadRouterConfig(configFile, io.cwd);
  const spec = thresholdsStoreSpec(config, io.cwd);
  return { store: await openThresholdsStore(spec, { cwd: io.cwd }), spec };
}

/** Runs `tune --rollback [N]` or `tune --history` against the configured thresholds store. */
export async function runHistoryRequest(request: HistoryRequest, options: { config?: string; json?: boolean }, io: CliIO): Promise<number> {
  const { store } = await openConfigured(options.config, io);
  try {
    if (request.rollback) {
      const result = await rollbackThresholds(store, request.rollback);
      if (options.json) printJson(io, { action: "rollback", restored: result.entry.restored, file: result.file, entry: result.entry, thresholds_file: result.thresholdsPath }, true);
      else
        printText(
          io,
          `Rolled back (${result.entry.reason}): wrote ${result.thresholdsPath}; thresholds now ${formatThresholds(result.file.thresholds)}${result.file.experiment ? `, experiment "${result.file.experiment.name}" running again` : ""}. Recorded in ${store.historyDescription}.\n`,
        );
      return 0;
    }
    const entries = await thresholdsHistory(store);
    if (options.json) printJson(io, { history: entries, history_file: store.historyDescription }, true);
    else if (entries.length === 0) printText(io, `No thresholds history yet in ${store.historyDescription}.\n`);
    else {
      const lines = entries.map((e) => `  ${String(e.number).padStart(3)}  ${e.time}  ${e.action.padEnd(10)} ${formatThresholds(e.after)}  ${e.reason}`);
      printText(io, `Thresholds history (${store.historyDescription}); restore one with \`moe-router tune --rollback N\`:\n${lines.join("\n")}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** "keyword 0.850, semantic 0.700", or "config's" for an empty map. */
export function formatThresholds(thresholds: Readonly<Record<string, number>>): string {
  const entries = Object.entries(thresholds);
  return entries.length ? entries.map(([layer, value]) => `${layer} ${value.toFixed(3)}`).join(", ") : "the config's";
}
