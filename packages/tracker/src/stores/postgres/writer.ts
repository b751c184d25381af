import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { Waiter } from "../../internal/write-piece.js";

/** Settings of {@link PgWriter}. */
export interface PgWriterOptions {
  /** Inserts a batch (JSON texts of records) in one statement; rejects on any failure. */
  readonly insert: (texts: readonly string[]) => Promise<void>;
  /** Hard limit on the UTF-8 bytes of the records buffered; appends beyond it are refused. */
  readonly maxBufferedBytes: number;
  /** Hard limit on the number of records buffered. */
  readonly maxBufferedRecords: number;
  /** Above this many buffered bytes, {@link PgWriter.whenWritable} asks the caller to wait. */
  readonly highWaterBytes: number;
  /** First retry delay after a failed write; doubled after each failure up to `maxRetryDelayMs`. */
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** Describes a failure for messages. */
  readonly describe: (action: string, error: unknown) => MoeRouterError;
  readonly onWritten: (count: number) => void;
  /** Records finally lost (a record the server refuses, or given up on at close). */
  readonly onFailed: (error: MoeRouterError, count: number) => void;
  /** A write failed and will be retried (nothing lost yet). */
  readonly onRetry: (error: MoeRouterError) => void;
}

interface Entry {
  readonly text: string;
  readonly bytes: number;
  readonly waiter: Waiter | undefined;
}

// Records per INSERT statement: one JSON parameter of a few MB at most.
const MAX_BATCH = 5_000;

/**
 * True for an error that is about the data, not the connection: PostgreSQL SQLSTATE classes
 * 22 (data exception: bad JSON, a timestamp out of range) and 23 (integrity). Retrying the
 * same records cannot help; the batch is split to find the records at fault.
 */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code);
}

/**
 * The PostgreSQL store's write side: a FIFO buffer of serialised records, bounded in bytes,
 * written in batches by one writer loop. A batch stays in the buffer until the server has
 * taken it; a failed write is retried with exponential backoff (a server restart or outage
 * loses nothing while the buffer has room), a batch the server refuses for its data is split
 * until the records at fault are found, and those alone are lost (counted).
 */
export class PgWriter {
  private entries: Entry[] = [];
  /** Index of the first entry not settled. */
  private head = 0;
  private bufferedBytes = 0;
  /** Records settled (written or lost) since the start, in append order. */
  private settledCount = 0;
  private appendedCount = 0;
  private running: Promise<void> | undefined;
  private readonly settleListeners: (() => void)[] = [];
  private delay: number;
  private giveUpAt: number | undefined;
  private wake: (() => void) | undefined;
  /** True from a failed write until the next one succeeds. */
  private retrying = false;
  failedSinceFlush = 0;
  lastFailure: MoeRouterError | undefined;

  constructor(private readonly options: PgWriterOptions) {
    this.delay = options.retryDelayMs;
  }

  /** Records buffered, not yet written. */
  get pending(): number {
    return this.entries.length - this.head;
  }

  /** UTF-8 bytes buffered. */
  get heldBytes(): number {
    return this.bufferedBytes;
  }

  /** Buffers a serialised record; false when the hard limit (bytes or records) is reached. */
  append(text: string, waiter?: Waiter): boolean {
    const bytes = Buffer.byteLength(text, "utf8");
    if (this.bufferedBytes + bytes > this.options.maxBufferedBytes || this.pending >= this.options.maxBufferedRecords) return false;
    this.entries.push({ text, bytes, waiter });
    this.bufferedBytes += bytes;
    this.appendedCount++;
    this.start();
    return true;
  }

  /**
   * Undefined under the high-water mark; else a promise resolving once the buffer is below
   * half of it again, or after `maxWaitMs` (never rejects). During an outage (writes being
   * retried) it is undefined too: routing must go on, so the buffer fills to its hard limit
   * and only then are records dropped (counted).
   */
  whenWritable(maxWaitMs: number): Promise<void> | undefined {
    if (this.bufferedBytes <= this.options.highWaterBytes || this.retrying) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      timer.unref?.();
      const check = () => {
        if (this.bufferedBytes <= this.options.highWaterBytes / 2 || this.pending === 0 || this.retrying) {
          clearTimeout(timer);
          resolve();
        } else this.settleListeners.push(check);
      };
      this.settleListeners.push(check);
    });
  }

  /**
   * Resolves once every record appended so far is settled (written or lost), or when
   * `timeoutMs` passes first; returns the number still unsettled (0 when all are).
   */
  async settle(timeoutMs: number): Promise<number> {
    const target = this.appendedCount;
    if (this.settledCount >= target) return 0;
    this.start();
    const deadline = Date.now() + timeoutMs;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref?.();
      const check = () => {
        if (this.settledCount >= target || Date.now() >= deadline) {
          clearTimeout(timer);
          resolve();
        } else this.settleListeners.push(check);
      };
      check();
    });
    return Math.max(0, target - this.settledCount);
  }

  /**
   * Stops retrying at `deadline` (epoch ms): what is still buffered then is lost and counted
   * (used by close(), so that a dead server cannot hold the process forever).
   */
  giveUpAfter(deadline: number): void {
    this.giveUpAt = deadline;
    this.wake?.();
    this.start();
  }

  private start(): void {
    if (this.running) return;
    // Everything appended in this turn of the event loop goes out in one batch.
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.loop())
      .finally(() => {
        this.running = undefined;
        if (this.pending > 0) this.start();
      });
  }

  private async loop(): Promise<void> {
    while (this.pending > 0) {
      const batch = this.entries.slice(this.head, this.head + MAX_BATCH);
      try {
        await this.write(batch);
        this.delay = this.options.retryDelayMs;
        this.retrying = false;
      } catch (error) {
        const failure = this.options.describe(`Writing ${batch.length} record(s) to`, error);
        if (this.giveUpAt !== undefined && Date.now() >= this.giveUpAt) {
          this.lose(this.pending, failure);
          return;
        }
        this.options.onRetry(failure);
        if (!this.retrying) {
          this.retrying = true;
          // Callers held back by whenWritable() go on: the outage may be long.
          for (const listener of this.settleListeners.splice(0)) listener();
        }
        await this.pause(this.delay);
        this.delay = Math.min(this.delay * 2, this.options.maxRetryDelayMs);
      }
    }
  }

  /** Waits `ms`, or less when close() sets a deadline meanwhile. */
  private pause(ms: number): Promise<void> {
    const until = this.giveUpAt === undefined ? ms : Math.max(0, Math.min(ms, this.giveUpAt - Date.now()));
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, until);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = undefined));
  }

  /**
   * Writes the batch (the entries at the head of the buffer). A data error splits it in
   * halves, down to the single records at fault, which are lost alone; any other error is
   * thrown for the loop to retry.
   */
  private async write(batch: readonly Entry[]): Promise<void> {
    try {
      await this.options.insert(batch.map((entry) => entry.text));
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (batch.length === 1) {
        this.lose(1, new MoeRouterError(ErrorCode.STORE_FAILED, `PostgreSQL refused a record: ${(error as Error).message}. It was not stored; the rest of its batch was.`, { cause: error }));
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.write(batch.slice(0, half));
      await this.write(batch.slice(half));
      return;
    }
    this.done(batch.length);
  }

  /** The `count` entries at the head are written. */
  private done(count: number): void {
    this.options.onWritten(count);
    this.settleHead(count, undefined);
  }

  /** The `count` entries at the head are lost with `failure`. */
  private lose(count: number, failure: MoeRouterError): void {
    this.failedSinceFlush += count;
    this.lastFailure = failure;
    this.options.onFailed(failure, count);
    this.settleHead(count, failure);
  }

  private settleHead(count: number, failure: MoeRouterError | undefined): void {
    for (let i = this.head; i < this.head + count; i++) {
      const entry = this.entries[i]!;
      this.bufferedBytes -= entry.bytes;
      if (failure) entry.waiter?.reject(failure);
      else entry.waiter?.resolve();
    }
    this.head += count;
    this.settledCount += count;
    // Compact now and then, so the array does not grow with everything ever written.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    const listeners = this.settleListeners.splice(0);
    for (const listener of listeners) listener();
  }
}
