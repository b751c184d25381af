import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { LogFiles } from "./log-files.js";
import { serialise } from "./serialise.js";
import { completeLines, settleWaiters, type Piece, type Waiter } from "./write-piece.js";

/** Settings of {@link JsonlWriter}. */
export interface JsonlWriterOptions {
  readonly files: LogFiles;
  readonly monthly: boolean;
  readonly maxBytes: number | undefined;
  readonly fsync: boolean;
  /** Hard limit: serialised bytes buffered and queued; appends beyond it are refused. */
  readonly maxBufferedBytes: number;
  /** Above this many buffered bytes, {@link JsonlWriter.whenWritable} asks the caller to wait. */
  readonly highWaterBytes: number;
  /** Called with the number of records made durable. */
  readonly onWritten: (count: number) => void;
  /** Called when records are lost; the error says where and why. */
  readonly onFailed: (error: MoeRouterError, count: number) => void;
  /** Called when records do not fit under the hard limit once serialised; returns the error to report. */
  readonly onDropped: (count: number) => MoeRouterError;
}

interface Target {
  handle: FileHandle;
  readonly path: string;
  readonly index: number;
  /** File size right after our last write; if it is still that, the file ends with our newline. */
  knownEnd: number;
}

// One write() per piece: atomic against other O_APPEND writers on a local file system,
// and small enough not to hold the inode lock for long.
const MAX_WRITE_CHARS = 1 << 20;
const NEWLINE = 10;

/**
 * Size assumed for a record not serialised yet. It only decides when to serialise early:
 * the hard limit is checked on exact serialised bytes.
 */
const ESTIMATED_RECORD_BYTES = 512;

/**
 * Buffered, multi-process safe appender. Records are collected in memory on the hot path
 * and serialised when their batch is written (after the current turn of the event loop, or
 * on flush), so routing pays neither for JSON.stringify nor for I/O. Each batch goes out as
 * one `write()` of complete lines on an O_APPEND descriptor, so concurrent processes never
 * interleave inside a line. Batches are written one at a time, in order.
 *
 * Serialised lines stay queued until written, so the synchronous write on process exit
 * writes them even when their asynchronous write had started (a line may then be in the
 * file twice; readers count it once, by event id). A write that stops part-way (disk full)
 * counts the complete lines that reached the file as written and only the rest as failed.
 */
export class JsonlWriter {
  /** Records not serialised yet, or lines serialised early (strings) near the hard limit. */
  private records: unknown[] = [];
  private months: string[] = [];
  private waiters: { index: number; waiter: Waiter }[] = [];
  private estimatedBytes = 0;
  /** Exact bytes of serialised lines not yet written (queued pieces and early lines). */
  private queuedBytes = 0;
  private readonly queue: Piece[] = [];
  private scheduled = false;
  private tail: Promise<void> = Promise.resolve();
  private readonly targets = new Map<string, Target>();
  private failedSinceFlush = 0;
  private lastFailure: MoeRouterError | undefined;
  private madeDir = false;

  constructor(private readonly options: JsonlWriterOptions) {}

  /** Records buffered and not yet handed to a write. */
  get buffered(): number {
    return this.records.length;
  }

  /** Records not yet written: buffered, or queued for a write. */
  get pending(): number {
    let count = this.records.length;
    for (const piece of this.queue) if (!piece.settled) count += piece.lines.length;
    return count;
  }

  /** Bytes held: exact for serialised lines, estimated for records not serialised yet. */
  get heldBytes(): number {
    return this.queuedBytes + this.estimatedBytes;
  }

  /**
   * Buffers one record, serialised later with JSON.stringify. Returns "full" when the record
   * would take the serialised bytes held past `maxBufferedBytes` (the hard limit), "failed"
   * when it cannot be serialised (counted as failed already). A `waiter` is told when this
   * record is durable or lost.
   */
  append(record: unknown, month: string, waiter?: Waiter): "ok" | "full" | "failed" {
    if (this.queuedBytes + this.estimatedBytes + ESTIMATED_RECORD_BYTES > this.options.maxBufferedBytes) {
      // Near the hard limit: measure exactly (serialise what is buffered, then this record).
      void this.startWrite();
      const line = this.toLine(record);
      if (line === undefined) return "failed";
      const bytes = Buffer.byteLength(line, "utf8");
      if (this.queuedBytes + bytes > this.options.maxBufferedBytes) return "full";
      this.queuedBytes += bytes;
      this.push(line, month, waiter);
    } else {
      this.estimatedBytes += ESTIMATED_RECORD_BYTES;
      this.push(record, month, waiter);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      // Everything appended in this turn of the event loop goes out in one write.
      setImmediate(() => {
        this.scheduled = false;
        void this.startWrite();
      });
    }
    return "ok";
  }

  private push(item: unknown, month: string, waiter: Waiter | undefined): void {
    if (waiter) this.waiters.push({ index: this.records.length, waiter });
    this.records.push(item);
    if (this.options.monthly) this.months.push(month);
  }

  /**
   * Undefined while under the high-water mark; else starts writing and returns a promise
   * that resolves once what is queued now has been written (or has failed: it never
   * rejects), or after `maxWaitMs` (a hung file system must not hang routing).
   */
  whenWritable(maxWaitMs = 5_000): Promise<void> | undefined {
    if (this.queuedBytes + this.estimatedBytes <= this.options.highWaterBytes) return undefined;
    const written = this.startWrite();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      timer.unref?.();
      void written.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Writes everything buffered; resolves once it is in the file.
   * @throws MoeRouterError STORE_FAILED when records were lost since the last flush.
   */
  async flush(): Promise<void> {
    await this.startWrite();
    if (this.failedSinceFlush > 0) {
      const count = this.failedSinceFlush;
      const cause = this.lastFailure;
      this.failedSinceFlush = 0;
      throw new MoeRouterError(ErrorCode.STORE_FAILED, `${count} record(s) could not be written: ${cause?.message ?? "unknown error"}`, { cause, data: { count } });
    }
  }

  /** Writes everything buffered; resolves once done, whether or not the writes succeeded. */
  drain(): Promise<void> {
    return this.startWrite();
  }

  /**
   * Last-chance synchronous write (process exit) of everything not written yet: the buffer
   * and the pieces queued for, or in the middle of, an asynchronous write.
   */
  flushSync(): void {
    this.take();
    // A copy: settling a piece removes it from the queue.
    for (const piece of [...this.queue]) {
      if (piece.settled) continue;
      piece.settled = true;
      const path = this.targets.get(piece.month)?.path ?? this.options.files.pathFor(piece.month, 0);
      let written = 0;
      let prefix = 0;
      try {
        mkdirSync(this.options.files.dir, { recursive: true });
        const fd = openSync(path, "a+");
        try {
          const size = fstatSync(fd).size;
          const last = Buffer.alloc(1);
          // A torn last line (a crash, or an async write cut short): start on a new line.
          if (size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== NEWLINE) prefix = 1;
          const bytes = Buffer.from(prefix ? `\n${piece.lines.join("")}` : piece.lines.join(""), "utf8");
          while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
        } finally {
          closeSync(fd);
        }
        this.settled(piece, piece.lines.length, undefined);
      } catch (error) {
        this.settled(piece, completeLines(piece.lines, written, prefix), this.failure(path, piece.lines.length, error));
      }
    }
    this.queue.length = 0;
  }

  /** Flushes, then closes the open files. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      for (const target of this.targets.values()) await target.handle.close().catch(() => undefined);
      this.targets.clear();
    }
  }

  private toLine(record: unknown): string | undefined {
    if (typeof record === "string") return record;
    try {
      return `${serialise(record)}\n`;
    } catch (error) {
      const failure = new MoeRouterError(ErrorCode.STORE_FAILED, `A record could not be serialised (${(error as Error).message}); task metadata and layer details must be JSON-serialisable.`, {
        cause: error,
      });
      this.failedSinceFlush++;
      this.lastFailure = failure;
      this.options.onFailed(failure, 1);
      return undefined;
    }
  }

  /** Serialises the buffer into queued pieces (by month, at most MAX_WRITE_CHARS each); returns them. */
  private take(): Piece[] {
    const { records, months, waiters } = this;
    if (records.length === 0) return [];
    this.records = [];
    this.months = [];
    this.waiters = [];
    this.estimatedBytes = 0;
    const groups = new Map<string, { lines: string[]; waiters: { line: number; waiter: Waiter }[] }>();
    let w = 0;
    for (let i = 0; i < records.length; i++) {
      const early = typeof records[i] === "string";
      const line = this.toLine(records[i]);
      const waiter = waiters[w]?.index === i ? waiters[w++]!.waiter : undefined;
      if (line === undefined) {
        waiter?.reject(this.lastFailure!);
        continue;
      }
      if (!early) {
        // The hard limit, on exact bytes: a record admitted on its estimate is dropped here if it does not fit.
        const size = Buffer.byteLength(line, "utf8");
        if (this.queuedBytes + size > this.options.maxBufferedBytes) {
          const error = this.options.onDropped(1);
          waiter?.reject(error);
          continue;
        }
        this.queuedBytes += size;
      }
      const month = this.options.monthly ? months[i]! : "";
      let group = groups.get(month);
      if (!group) groups.set(month, (group = { lines: [], waiters: [] }));
      if (waiter) group.waiters.push({ line: group.lines.length, waiter });
      group.lines.push(line);
    }
    const pieces: Piece[] = [];
    for (const [month, group] of groups) {
      let from = 0;
      while (from < group.lines.length) {
        let to = from;
        let chars = 0;
        while (to < group.lines.length && (to === from || chars + group.lines[to]!.length <= MAX_WRITE_CHARS)) chars += group.lines[to++]!.length;
        const lines = group.lines.slice(from, to);
        let bytes = 0;
        for (let i = from; i < to; i++) bytes += Buffer.byteLength(group.lines[i]!, "utf8");
        const waitersHere = group.waiters.filter((x) => x.line >= from && x.line < to).map((x) => ({ line: x.line - from, waiter: x.waiter }));
        pieces.push({ month, lines, bytes, waiters: waitersHere, settled: false });
        from = to;
      }
    }
    this.queue.push(...pieces);
    return pieces;
  }

  /** Queues the current buffer as the next writes; the returned promise never rejects. */
  private startWrite(): Promise<void> {
    for (const piece of this.take()) this.tail = this.tail.then(() => this.writePiece(piece));
    return this.tail;
  }

  /** Marks a piece done: `written` of its lines durable, the rest lost with `failure`. */
  private settled(piece: Piece, written: number, failure: MoeRouterError | undefined): void {
    piece.settled = true;
    this.queuedBytes -= piece.bytes;
    const index = this.queue.indexOf(piece);
    if (index >= 0) this.queue.splice(index, 1);
    if (written > 0) this.options.onWritten(written);
    const lost = piece.lines.length - written;
    if (failure && lost > 0) {
      this.failedSinceFlush += lost;
      this.lastFailure = failure;
      this.options.onFailed(failure, lost);
    }
    settleWaiters(piece, written, lost > 0 ? failure : undefined);
  }

  private async writePiece(piece: Piece): Promise<void> {
    if (piece.settled) return;
    const month = piece.month;
    let path = this.options.files.pathFor(month, 0);
    let written = 0;
    let prefix = 0;
    try {
      const { target, size } = await this.target(month);
      path = target.path;
      let text = piece.lines.join("");
      // A crash may have left a line without its newline; never glue our record onto it.
      if (size > 0 && size !== target.knownEnd && !(await this.endsWithNewline(target.handle, size))) {
        text = `\n${text}`;
        prefix = 1;
      }
      const bytes = Buffer.from(text, "utf8");
      while (written < bytes.length) {
        const result = await target.handle.write(bytes, written, bytes.length - written);
        if (result.bytesWritten === 0) throw Object.assign(new Error("the write made no progress"), { code: "EIO" });
        written += result.bytesWritten;
      }
      if (this.options.fsync) await target.handle.datasync();
      target.knownEnd = size + bytes.length;
      if (!piece.settled) this.settled(piece, piece.lines.length, undefined);
    } catch (error) {
      const target = this.targets.get(month);
      this.targets.delete(month);
      await target?.handle.close().catch(() => undefined);
      if (!piece.settled) {
        const complete = completeLines(piece.lines, written, prefix);
        this.settled(piece, complete, this.failure(path, piece.lines.length - complete, error, complete));
      }
    }
  }

  private failure(path: string, count: number, error: unknown, written = 0): MoeRouterError {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);
    const partial = written > 0 ? ` (${written} record(s) of the same write did reach the file and are counted as written)` : "";
    return new MoeRouterError(
      ErrorCode.STORE_FAILED,
      `Could not write ${count} record(s) to ${path} (${reason})${partial}. Check that the directory is writable and the disk is not full; routing goes on without these records.`,
      { cause: error, data: { path, count, written } },
    );
  }

  private async endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === NEWLINE;
  }

  /**
   * The file to append to for a month, moving on to the next size index when full, and its
   * size now. The size comes from one synchronous fstat per batch: other processes append to
   * the same file (and may crash mid-line, or fill it past maxBytes), so it must be asked for;
   * fstat of an open local file is a cached inode read (~2 µs), where the promise API's stat
   * cost a thread-pool round trip (25-65 µs of CPU, measured), about 4 % of a busy server.
   */
  private async target(month: string): Promise<{ target: Target; size: number }> {
    const maxBytes = this.options.maxBytes;
    let target = this.targets.get(month);
    if (!target) {
      if (!this.madeDir) {
        await mkdir(this.options.files.dir, { recursive: true });
        this.madeDir = true;
      }
      // Other processes may already have rotated further: continue where the log is.
      const index = maxBytes ? await this.options.files.highestIndex(month) : 0;
      target = await this.openTarget(month, index);
      // Keep at most two months open (the current one and a straggler).
      if (this.targets.size > 2) {
        const [oldest] = this.targets.keys();
        if (oldest !== undefined && oldest !== month) {
          await this.targets
            .get(oldest)
            ?.handle.close()
            .catch(() => undefined);
          this.targets.delete(oldest);
        }
      }
    }
    let size = fstatSync(target.handle.fd).size;
    while (maxBytes && size >= maxBytes) {
      await target.handle.close().catch(() => undefined);
      target = await this.openTarget(month, target.index + 1);
      size = fstatSync(target.handle.fd).size;
    }
    return { target, size };
  }

  private async openTarget(month: string, index: number): Promise<Target> {
    const path = this.options.files.pathFor(month, index);
    // "a+" = O_RDWR | O_CREAT | O_APPEND: every write lands at the current end of file;
    // reading is needed to check the last byte for a torn line.
    const handle = await open(path, "a+");
    const target: Target = { handle, path, index, knownEnd: -1 };
    this.targets.set(month, target);
    return target;
  }
}
