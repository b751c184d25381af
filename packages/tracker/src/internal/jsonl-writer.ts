import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { LogFiles } from "./log-files.js";
import { serialise } from "./serialise.js";

/** Settings of {@link JsonlWriter}. */
export interface JsonlWriterOptions {
  readonly files: LogFiles;
  readonly monthly: boolean;
  readonly maxBytes: number | undefined;
  readonly fsync: boolean;
  readonly maxBufferedBytes: number;
  /** Called with the number of records made durable. */
  readonly onWritten: (count: number) => void;
  /** Called when records are lost; the error says where and why. */
  readonly onFailed: (error: MoeRouterError, count: number) => void;
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

/** Size assumed for a record not serialised yet, to bound the buffer before serialising. */
const ESTIMATED_RECORD_CHARS = 512;

/**
 * Buffered, multi-process safe appender. Records are collected in memory on the hot path
 * and serialised when their batch is written (after the current turn of the event loop, or
 * on flush), so routing pays neither for JSON.stringify nor for I/O. Each batch goes out as
 * one `write()` of complete lines on an O_APPEND descriptor, so concurrent processes never
 * interleave inside a line. Batches are written one at a time, in order.
 */
export class JsonlWriter {
  private records: unknown[] = [];
  private months: string[] = [];
  private bufferedChars = 0;
  private scheduled = false;
  private tail: Promise<void> = Promise.resolve();
  private readonly targets = new Map<string, Target>();
  private failedSinceFlush = 0;
  private lastFailure: MoeRouterError | undefined;
  private madeDir = false;

  constructor(private readonly options: JsonlWriterOptions) {}

  /** Records buffered and not yet handed to a write. */
  get pending(): number {
    return this.records.length;
  }

  /**
   * Buffers one record, serialised later with JSON.stringify. Returns false when the buffer
   * is full (records counted at {@link ESTIMATED_RECORD_CHARS} until serialised).
   */
  append(record: unknown, month: string): boolean {
    if (this.bufferedChars + ESTIMATED_RECORD_CHARS > this.options.maxBufferedBytes) return false;
    this.records.push(record);
    if (this.options.monthly) this.months.push(month);
    this.bufferedChars += ESTIMATED_RECORD_CHARS;
    if (!this.scheduled) {
      this.scheduled = true;
      // Everything appended in this turn of the event loop goes out in one write.
      setImmediate(() => {
        this.scheduled = false;
        void this.startWrite();
      });
    }
    return true;
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

  /** Last-chance synchronous write of the buffer (process exit). */
  flushSync(): void {
    if (this.records.length === 0) return;
    const { lines, months } = this.take();
    for (const [month, group] of this.group(lines, months)) {
      const target = this.targets.get(month);
      const path = target?.path ?? this.options.files.pathFor(month, 0);
      try {
        mkdirSync(this.options.files.dir, { recursive: true });
        const fd = openSync(path, "a");
        try {
          writeSync(fd, group.join(""));
        } finally {
          closeSync(fd);
        }
        this.options.onWritten(group.length);
      } catch (error) {
        this.options.onFailed(this.failure(path, group.length, error), group.length);
      }
    }
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

  /** Takes the buffer, serialising each record to a line; a record that cannot be serialised is counted as failed. */
  private take(): { lines: string[]; months: string[] } {
    const { records, months: recordMonths } = this;
    this.records = [];
    this.months = [];
    this.bufferedChars = 0;
    const lines: string[] = [];
    const months: string[] = [];
    for (let i = 0; i < records.length; i++) {
      let line: string;
      try {
        line = `${serialise(records[i])}\n`;
      } catch (error) {
        const failure = new MoeRouterError(
          ErrorCode.STORE_FAILED,
          `A record could not be serialised (${(error as Error).message}); task metadata and layer details must be JSON-serialisable.`,
          { cause: error },
        );
        this.failedSinceFlush++;
        this.lastFailure = failure;
        this.options.onFailed(failure, 1);
        continue;
      }
      lines.push(line);
      if (this.options.monthly) months.push(recordMonths[i]!);
    }
    return { lines, months };
  }

  /** Queues the current buffer as the next write; the returned promise never rejects. */
  private startWrite(): Promise<void> {
    if (this.records.length > 0) {
      const { lines, months } = this.take();
      this.tail = this.tail.then(() => this.writeBatch(lines, months));
    }
    return this.tail;
  }

  private group(lines: string[], months: string[]): Map<string, string[]> {
    if (!this.options.monthly) return new Map([["", lines]]);
    const groups = new Map<string, string[]>();
    for (let i = 0; i < lines.length; i++) {
      const month = months[i]!;
      let group = groups.get(month);
      if (!group) groups.set(month, (group = []));
      group.push(lines[i]!);
    }
    return groups;
  }

  private async writeBatch(lines: string[], months: string[]): Promise<void> {
    for (const [month, group] of this.group(lines, months)) {
      let from = 0;
      while (from < group.length) {
        let to = from;
        let chars = 0;
        while (to < group.length && (to === from || chars + group[to]!.length <= MAX_WRITE_CHARS)) chars += group[to++]!.length;
        await this.writePiece(month, group.slice(from, to));
        from = to;
      }
    }
  }

  private async writePiece(month: string, lines: string[]): Promise<void> {
    let path = this.options.files.pathFor(month, 0);
    try {
      const target = await this.target(month);
      path = target.path;
      const size = (await target.handle.stat()).size;
      let text = lines.join("");
      // A crash may have left a line without its newline; never glue our record onto it.
      if (size > 0 && size !== target.knownEnd && !(await this.endsWithNewline(target.handle, size))) text = `\n${text}`;
      const bytes = Buffer.from(text, "utf8");
      let written = 0;
      while (written < bytes.length) {
        const result = await target.handle.write(bytes, written, bytes.length - written);
        written += result.bytesWritten;
      }
      if (this.options.fsync) await target.handle.datasync();
      target.knownEnd = size + bytes.length;
      this.options.onWritten(lines.length);
    } catch (error) {
      const target = this.targets.get(month);
      this.targets.delete(month);
      await target?.handle.close().catch(() => undefined);
      const failure = this.failure(path, lines.length, error);
      this.failedSinceFlush += lines.length;
      this.lastFailure = failure;
      this.options.onFailed(failure, lines.length);
    }
  }

  private failure(path: string, count: number, error: unknown): MoeRouterError {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);
    return new MoeRouterError(
      ErrorCode.STORE_FAILED,
      `Could not write ${count} record(s) to ${path} (${reason}). Check that the directory is writable and the disk is not full; routing goes on without these records.`,
      { cause: error, data: { path, count } },
    );
  }

  private async endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === NEWLINE;
  }

  /** The file to append to for a month, moving on to the next size index when full. */
  private async target(month: string): Promise<Target> {
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
          await this.targets.get(oldest)?.handle.close().catch(() => undefined);
          this.targets.delete(oldest);
        }
      }
    }
    if (maxBytes) {
      while ((await target.handle.stat()).size >= maxBytes) {
        await target.handle.close().catch(() => undefined);
        target = await this.openTarget(month, target.index + 1);
      }
    }
    return target;
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
