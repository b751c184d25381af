import type { MoeRouterError } from "@moe-router/core";
import type { StoreErrorListener, StoreStats } from "../types.js";

/** Counters and error listeners shared by the store implementations. */
export class StoreState {
  appended = 0;
  written = 0;
  failed = 0;
  dropped = 0;
  tornLines = 0;
  invalidRecords = 0;
  invalidFields = 0;
  duplicates = 0;
  closed = false;
  private lastError: { code: string; message: string } | undefined;
  private readonly listeners = new Set<StoreErrorListener>();

  /** Counts lost records and tells the listeners; a throwing listener is ignored. */
  fail(error: MoeRouterError, lost: number, kind: "failed" | "dropped" = "failed"): void {
    this[kind] += lost;
    this.lastError = { code: error.code, message: error.message };
    for (const listener of this.listeners) {
      try {
        listener(error);
      } catch {
        // A broken listener must not turn a store failure into a routing failure.
      }
    }
  }

  /** Keeps what the most recent read skipped. */
  recordReadCounts(counts: { tornLines: number; invalidRecords: number; invalidFields: number; duplicates: number }): void {
    this.tornLines = counts.tornLines;
    this.invalidRecords = counts.invalidRecords;
    this.invalidFields = counts.invalidFields;
    this.duplicates = counts.duplicates;
  }

  subscribe(listener: StoreErrorListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(pending: number): StoreStats {
    return {
      appended: this.appended,
      written: this.written,
      failed: this.failed,
      dropped: this.dropped,
      pending,
      tornLines: this.tornLines,
      invalidRecords: this.invalidRecords,
      invalidFields: this.invalidFields,
      duplicates: this.duplicates,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}
