import type { MoeRouterError } from "@moe-router/core";

/** Someone waiting for one record to be durable (an outcome being recorded). */
export interface Waiter {
  resolve(): void;
  reject(error: MoeRouterError): void;
}

/**
 * Complete lines queued for one `write()`: serialised, counted in the queued bytes, and kept
 * until written, so the synchronous write on process exit can still write them.
 */
export interface Piece {
  readonly month: string;
  readonly lines: string[];
  /** UTF-8 bytes of the lines. */
  readonly bytes: number;
  /** Waiters by line index. */
  readonly waiters: { readonly line: number; readonly waiter: Waiter }[];
  /** Written (or failed) already: by the async writer, or by the exit write. */
  settled: boolean;
}

/**
 * How many of `lines` are complete in the first `written` bytes of their text, after a
 * `prefix` of that many bytes (the newline written before a torn line). A partial write of
 * complete lines counts those lines as written.
 */
export function completeLines(lines: readonly string[], written: number, prefix: number): number {
  let end = prefix;
  for (let i = 0; i < lines.length; i++) {
    end += Buffer.byteLength(lines[i]!, "utf8");
    if (end > written) return i;
  }
  return lines.length;
}

/** Settles a piece's waiters: lines before `written` resolve, the rest reject with `failure`. */
export function settleWaiters(piece: Piece, written: number, failure: MoeRouterError | undefined): void {
  for (const { line, waiter } of piece.waiters) {
    if (line < written || failure === undefined) waiter.resolve();
    else waiter.reject(failure);
  }
}
