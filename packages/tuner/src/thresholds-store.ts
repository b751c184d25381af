/**
 * Where tuned thresholds live: a file on one host, or a PostgreSQL table that many router
 * instances share (see postgres-thresholds.ts). `moe-router tune` writes through this
 * interface; a running router reads it and polls `revision()` to pick up changes.
 */
import { stat } from "node:fs/promises";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { parseStoreSpec } from "@moe-router/tracker/rules";
import { postgresThresholdsStore } from "./postgres-thresholds.js";
import { appendThresholdsHistory, historyPathFor, readThresholdsFile, readThresholdsHistory, writeThresholdsFile, type ThresholdsFile, type ThresholdsHistoryEntry } from "./thresholds-file.js";

/** A thresholds document and history, in a file or a database. */
export interface ThresholdsStore {
  /** "file" or "postgres". */
  readonly kind: "file" | "postgres";
  /** Where the document lives, for messages (a path, or a redacted database URL and table). */
  readonly description: string;
  /** Where the history lives, for messages. */
  readonly historyDescription: string;
  /**
   * The current document, or undefined when none has been written.
   * @throws MoeRouterError CORRUPT_FILE when it exists but is unusable, STORE_FAILED when it cannot be read.
   */
  read(): Promise<ThresholdsFile | undefined>;
  /**
   * A cheap marker that changes whenever a new document is written (a file's size and
   * modification time, a table's latest version); undefined when there is none. Poll it and
   * `read()` only when it changed.
   */
  revision(): Promise<string | undefined>;
  /** Writes a new document and records its history entry. @throws MoeRouterError STORE_FAILED */
  write(file: ThresholdsFile, entry: ThresholdsHistoryEntry): Promise<void>;
  /** Every history entry, oldest first. */
  history(): Promise<ThresholdsHistoryEntry[]>;
  /** Releases connections (files hold none). */
  close(): Promise<void>;
}

/** Options of {@link fileThresholdsStore}. */
export interface FileThresholdsStoreOptions {
  /** History file. Default: next to the thresholds file (`thresholds.history.jsonl`). */
  readonly historyPath?: string;
}

/**
 * The thresholds file (written atomically) plus its JSONL history, behind the store interface.
 *
 * @example
 * const store = fileThresholdsStore(".moe-router/thresholds.json");
 */
export function fileThresholdsStore(path: string, options: FileThresholdsStoreOptions = {}): ThresholdsStore {
  const historyPath = options.historyPath ?? historyPathFor(path);
  return {
    kind: "file",
    description: path,
    historyDescription: historyPath,
    read: () => readThresholdsFile(path),
    async revision() {
      try {
        const info = await stat(path);
        return `${info.size}:${info.mtimeMs}:${info.ino}`;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new MoeRouterError(ErrorCode.STORE_FAILED, `Cannot read thresholds file ${path}: ${(error as Error).message}. Check its permissions.`, { cause: error });
      }
    },
    async write(file, entry) {
      await writeThresholdsFile(path, file);
      await appendThresholdsHistory(historyPath, entry);
    },
    history: () => readThresholdsHistory(historyPath),
    close: async () => undefined,
  };
}

/** Options of {@link openThresholdsStore}. */
export interface OpenThresholdsStoreOptions {
  /** Directory that relative paths resolve against. Default: process.cwd(). */
  readonly cwd?: string;
}

/**
 * Opens the thresholds store a spec names: a file path (e.g. ".moe-router/thresholds.json"),
 * or "postgres://user@host:5432/db[?tablePrefix=moe_router]" for the table
 * `<prefix>_thresholds` that several router instances share.
 * @throws MoeRouterError INVALID_CONFIG for an empty spec or a bad URL, STORE_FAILED when the database cannot be reached.
 */
export async function openThresholdsStore(spec: string, options: OpenThresholdsStoreOptions = {}): Promise<ThresholdsStore> {
  const parsed = parseStoreSpec(spec, { purpose: "thresholds", ...(options.cwd !== undefined ? { cwd: options.cwd } : {}) });
  if (parsed.kind === "postgres") {
    return postgresThresholdsStore({ connectionString: parsed.connectionString, ...(parsed.tablePrefix ? { tablePrefix: parsed.tablePrefix } : {}) });
  }
  return fileThresholdsStore(parsed.path);
}
