import { resolve } from "node:path";
import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import { flushOnExit } from "./internal/exit-hooks.js";
import { JsonlWriter } from "./internal/jsonl-writer.js";
import type { Waiter } from "./internal/write-piece.js";
import { LogFiles } from "./internal/log-files.js";
import { ReverseJoin, type JoinCounters } from "./internal/reverse-join.js";
import { reverseLineChunks } from "./internal/reverse-lines.js";
import { StoreState } from "./internal/store-state.js";
import { checkLimit, checkReadOptions, checkKnownKeys } from "./internal/validate.js";
import type { LogRecord, Outcome, RoutingEvent } from "./records.js";
import { normaliseRecord } from "./read-record.js";
import type { EventStore, JsonlStoreOptions, ReadOptions } from "./types.js";

const OPTION_KEYS = ["path", "rotate", "fsync", "maxBufferedBytes", "highWaterBytes", "readChunkBytes", "orderSlackMs"];
const ROTATE_KEYS = ["monthly", "maxBytes"];
const MONTH = /^\d{4}-\d{2}$/;

function invalid(message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
}

function positive(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw invalid(`jsonlStore: ${name} must be a positive number; got ${String(value)}.`);
  return value;
}

function validate(options: JsonlStoreOptions): void {
  if (!options || typeof options !== "object") throw invalid('jsonlStore needs options: jsonlStore({ path: ".moe-router/events.jsonl" }).');
  checkKnownKeys(options, OPTION_KEYS, "jsonlStore options");
  if (typeof options.path !== "string" || options.path.trim() === "") throw invalid('jsonlStore: "path" must name the log file, e.g. ".moe-router/events.jsonl".');
  if (options.rotate !== undefined) {
    if (!options.rotate || typeof options.rotate !== "object") throw invalid('jsonlStore: "rotate" must be { monthly?: boolean, maxBytes?: number }.');
    checkKnownKeys(options.rotate, ROTATE_KEYS, "jsonlStore rotate");
    positive(options.rotate.maxBytes, "rotate.maxBytes");
  }
  positive(options.maxBufferedBytes, "maxBufferedBytes");
  positive(options.highWaterBytes, "highWaterBytes");
  positive(options.readChunkBytes, "readChunkBytes");
  if (options.orderSlackMs !== undefined && !(typeof options.orderSlackMs === "number" && options.orderSlackMs >= 0)) {
    throw invalid(`jsonlStore: orderSlackMs must be a number of milliseconds >= 0; got ${String(options.orderSlackMs)}.`);
  }
}

/** Current UTC month, for records whose timestamp is not ISO-8601. */
function currentMonth(): string {
  return new Date().toISOString().slice(0, 7);
}

/**
 * The default store: an append-only JSON Lines log, one record per line, readable with
 * `jq` and by the Python prototype's tools. Safe for many processes appending at once
 * (O_APPEND, one write per batch of whole lines); a torn last line after a crash is
 * skipped and counted, never fatal.
 *
 * @example
 * const store = jsonlStore({ path: ".moe-router/events.jsonl", rotate: { monthly: true, maxBytes: 100 * 2 ** 20 } });
 */
export function jsonlStore(options: JsonlStoreOptions): EventStore {
  validate(options);
  const path = resolve(options.path);
  const files = new LogFiles(path);
  const monthly = options.rotate?.monthly === true;
  const chunkBytes = Math.max(64, Math.floor(options.readChunkBytes ?? 4 * 2 ** 20));
  const state = new StoreState();
  const maxBufferedBytes = options.maxBufferedBytes ?? 64 * 2 ** 20;
  const bufferFull = () =>
    new MoeRouterError(
      ErrorCode.STORE_FAILED,
      `The write buffer of ${path} is full (${maxBufferedBytes} bytes of serialised records: the disk is slower than routing, or writes fail); records are dropped until it drains. Raise maxBufferedBytes, or await cascade.route() so routing waits for the disk.`,
    );
  const writer = new JsonlWriter({
    files,
    monthly,
    maxBytes: options.rotate?.maxBytes,
    fsync: options.fsync === true,
    maxBufferedBytes,
    highWaterBytes: Math.min(options.highWaterBytes ?? 8 * 2 ** 20, maxBufferedBytes),
    onWritten: (count) => void (state.written += count),
    onFailed: (error, count) => state.fail(error, count),
    onDropped: (count) => {
      // Admitted on an estimate, dropped on its exact size: it counts as dropped, not appended.
      state.appended -= count;
      const error = bufferFull();
      state.fail(error, count, "dropped");
      return error;
    },
  });
  const unregister = flushOnExit(writer);

  const readFailure = (error: unknown): MoeRouterError =>
    isMoeRouterError(error)
      ? error
      : new MoeRouterError(ErrorCode.STORE_FAILED, `Could not read the event log ${path}: ${(error as Error).message}. Check the path and its permissions.`, { cause: error });

  async function* read(readOptions: ReadOptions = {}): AsyncGenerator<RoutingEvent> {
    checkReadOptions(readOptions);
    await writer.drain();
    const counters: JoinCounters = { tornLines: 0, invalidRecords: 0, invalidFields: 0, duplicates: 0 };
    const join = new ReverseJoin({ sinceMs: readOptions.since?.getTime(), untilMs: readOptions.until?.getTime() }, counters);
    try {
      const logFiles = await files.list();
      for (let f = logFiles.length - 1; f >= 0; f--) {
        for await (const chunk of reverseLineChunks(logFiles[f]!.path, chunkBytes)) {
          if (chunk.tornTail) counters.tornLines++;
          const lines = chunk.lines;
          for (let i = lines.length - 1; i >= 0; i--) {
            const result = join.line(lines[i]!);
            if (result !== undefined) yield result;
          }
        }
      }
    } catch (error) {
      throw readFailure(error);
    } finally {
      state.recordReadCounts(counters);
    }
  }

  async function get(eventId: string): Promise<RoutingEvent | undefined> {
    if (typeof eventId !== "string" || eventId === "") throw invalid("get() needs an event id (the event_id printed by `moe-router route`).");
    await writer.drain();
    // Search for the id as it appears inside JSON, so escaping cannot hide it.
    const escaped = JSON.stringify(eventId).slice(1, -1);
    const needle = Buffer.from(escaped, "utf8");
    let outcome: { outcome: Outcome; timestamp: string } | undefined;
    try {
      const logFiles = await files.list();
      for (let f = logFiles.length - 1; f >= 0; f--) {
        for await (const chunk of reverseLineChunks(logFiles[f]!.path, chunkBytes, needle)) {
          for (let i = chunk.lines.length - 1; i >= 0; i--) {
            const line = chunk.lines[i]!;
            if (!line.includes(escaped)) continue;
            let record;
            try {
              record = normaliseRecord(JSON.parse(line), { invalidFields: 0 });
            } catch {
              continue;
            }
            if (record === undefined || record.event_id !== eventId) continue;
            if (record.record_type === "outcome") {
              outcome ??= { outcome: record.outcome, timestamp: record.timestamp };
              continue;
            }
            if (outcome) Object.assign(record, { outcome: outcome.outcome, outcome_timestamp: outcome.timestamp });
            return record;
          }
        }
      }
    } catch (error) {
      throw readFailure(error);
    }
    return undefined;
  }

  /** Buffers a record; returns the error when it was refused (counted already). */
  function add(record: LogRecord, waiter?: Waiter): MoeRouterError | undefined {
    if (state.closed) {
      const error = new MoeRouterError(ErrorCode.CLOSED, `The event log ${path} was closed; open a new store to record more.`);
      state.fail(error, 1, "dropped");
      return error;
    }
    const stamp = typeof record?.timestamp === "string" ? record.timestamp.slice(0, 7) : "";
    const result = writer.append(record, monthly ? (MONTH.test(stamp) ? stamp : currentMonth()) : "", waiter);
    if (result === "full") {
      const error = bufferFull();
      state.fail(error, 1, "dropped");
      return error;
    }
    if (result === "failed") return new MoeRouterError(ErrorCode.STORE_FAILED, "The record could not be serialised (task metadata and layer details must be JSON-serialisable); it was not stored.");
    state.appended++;
    return undefined;
  }

  return {
    description: path,
    append(record: LogRecord) {
      void add(record);
    },
    async appendDurable(record: LogRecord) {
      // Wait for room rather than refuse an outcome while the buffer drains.
      await writer.whenWritable();
      let waiter: Waiter | undefined;
      const durable = new Promise<void>((resolve, reject) => (waiter = { resolve, reject }));
      const refused = add(record, waiter);
      if (refused) throw refused;
      await durable;
    },
    whenWritable: () => writer.whenWritable(),
    flush: () => writer.flush(),
    read,
    async recentEvents(limit: number) {
      checkLimit(limit);
      const events: RoutingEvent[] = [];
      if (limit === 0) return events;
      for await (const event of read()) {
        events.push(event);
        if (events.length >= limit) break;
      }
      return events;
    },
    get,
    onError: (listener) => state.subscribe(listener),
    stats: () => state.snapshot(writer.pending),
    async close() {
      if (state.closed) return;
      state.closed = true;
      unregister();
      await writer.close();
    },
  };
}
