/**
 * Corrections learned by one instance reach the others: every instance polls the shared
 * store for corrected outcomes after its watermark and passes them to its learnable layers.
 * Outcomes this instance recorded itself were already learned online and are skipped.
 *
 * A PostgreSQL sequence can commit out of order (a transaction that took number 10 may commit
 * after the one that took 11 was read), so each poll re-reads the last `lookback` positions
 * below the watermark and skips the ones it has seen.
 */
import { readFile } from "node:fs/promises";
import { ErrorCode, MoeRouterError, writeFileAtomic, type LabelledExample } from "@moe-router/core";
import type { CorrectionsPage, RoutingEvent } from "@moe-router/tracker";

/** The part of a shared store the sync reads (PostgreSQL stores have it). */
export interface CorrectionSource {
  readonly description?: string;
  correctionsAfter(cursor: number, limit: number): Promise<CorrectionsPage>;
}

/** Corrections picked up from the shared store in one poll. */
export interface CorrectionBatch {
  readonly examples: readonly LabelledExample[];
  /** Routing time of the oldest decision corrected in this batch. */
  readonly since: Date;
}

/** Options of {@link CorrectionSync}. */
export interface CorrectionSyncOptions {
  readonly source: CorrectionSource;
  /**
   * Learns a batch of other instances' corrections: the examples, and the routing time of the
   * oldest of their decisions (a router's `learn({ since })` reads the store from there).
   */
  readonly learn: (batch: CorrectionBatch) => Promise<unknown>;
  /** Poll interval in ms. Default 2,000. */
  readonly intervalMs?: number;
  /** Corrections read per poll. Default 500. */
  readonly batchSize?: number;
  /** Positions below the watermark re-read on every poll. Default 200. */
  readonly lookback?: number;
  /** File that keeps the watermark across restarts (beside the layers' learned state). Absent: memory only, from 0. */
  readonly watermarkFile?: string;
  /** Called when a poll fails (the sync keeps polling). */
  readonly onError?: (error: MoeRouterError) => void;
  /** Called after each batch that learned something. */
  readonly onLearned?: (count: number) => void;
}

/** Counters of a {@link CorrectionSync}. */
export interface CorrectionSyncStats {
  readonly watermark: number;
  /** Corrections from other instances passed to learn(). */
  readonly learned: number;
  /** Corrections skipped because this instance recorded them. */
  readonly skippedOwn: number;
  readonly polls: number;
  readonly failures: number;
}

const OWN_LIMIT = 10_000;

/** The identity of one outcome record: the same on every instance that reads it. */
export function outcomeKey(eventId: string, timestamp: string, correctedTo: string | null | undefined): string {
  return `${eventId}\u0000${timestamp}\u0000${correctedTo ?? ""}`;
}

function toExample(event: RoutingEvent): LabelledExample | undefined {
  const expert = event.outcome?.user_corrected_to;
  const text = event.task_description;
  if (typeof expert !== "string" || expert === "" || typeof text !== "string" || text.trim() === "") return undefined;
  return { text, expert, source: "outcome" };
}

/** Polls a shared store for other instances' corrections and learns them. */
export class CorrectionSync {
  readonly #options: CorrectionSyncOptions;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  readonly #lookback: number;
  readonly #own = new Set<string>();
  readonly #seen = new Set<number>();
  #watermark = 0;
  #learned = 0;
  #skippedOwn = 0;
  #polls = 0;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: CorrectionSyncOptions) {
    if (!options?.source || typeof options.source.correctionsAfter !== "function") {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "Sharing corrections between instances needs a shared event store that can list corrections (tracking.store: postgres://...).");
    }
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? 2_000;
    this.#batchSize = options.batchSize ?? 500;
    this.#lookback = options.lookback ?? 200;
    // A full page must reach past the re-read positions, or the watermark could never move.
    if (!Number.isInteger(this.#batchSize) || !Number.isInteger(this.#lookback) || this.#lookback < 0 || this.#batchSize <= this.#lookback) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Correction sync: batchSize (${String(this.#batchSize)}) must be a whole number above lookback (${String(this.#lookback)}).`);
    }
  }

  /** Remembers an outcome this instance recorded (and learned online), so the sync skips it. */
  recordedHere(eventId: string, timestamp: string, correctedTo: string | null | undefined): void {
    if (!correctedTo) return;
    this.#own.add(outcomeKey(eventId, timestamp, correctedTo));
    if (this.#own.size > OWN_LIMIT) this.#own.delete(this.#own.values().next().value!);
  }

  /** Loads the watermark (when a file is configured) and starts polling. */
  async start(): Promise<void> {
    this.#watermark = await this.#loadWatermark();
    this.#schedule(0);
  }

  /** One poll: reads until caught up (at most 20 pages), learns what others corrected. */
  syncNow(): Promise<void> {
    this.#running ??= this.#poll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  stats(): CorrectionSyncStats {
    return { watermark: this.#watermark, learned: this.#learned, skippedOwn: this.#skippedOwn, polls: this.#polls, failures: this.#failures };
  }

  /** Stops polling and waits for a poll in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.syncNow().finally(() => this.#schedule(this.#intervalMs));
    }, delay);
    this.#timer.unref();
  }

  /**
   * Reads every page up to the end (at most 20), then learns what was collected in one call,
   * so catching up on a long history costs one learn run, not one per page. The watermark and
   * the seen positions move only after learning succeeded, so a failed run is retried whole.
   */
  async #poll(): Promise<void> {
    this.#polls++;
    try {
      const examples: LabelledExample[] = [];
      const seenNow = new Set<number>();
      let oldest = Number.POSITIVE_INFINITY;
      let newest = this.#watermark;
      let skipped = 0;
      let from = Math.max(0, this.#watermark - this.#lookback);
      for (let page = 0; page < 20 && !this.#stopped; page++) {
        const result = await this.#options.source.correctionsAfter(from, this.#batchSize);
        for (const { cursor, event } of result.corrections) {
          if (this.#seen.has(cursor) || seenNow.has(cursor)) continue;
          seenNow.add(cursor);
          if (this.#own.has(outcomeKey(event.event_id, event.outcome_timestamp ?? "", event.outcome?.user_corrected_to))) {
            skipped++;
            continue;
          }
          const example = toExample(event);
          if (!example) continue;
          examples.push(example);
          const routedAt = Date.parse(event.timestamp);
          if (Number.isFinite(routedAt)) oldest = Math.min(oldest, routedAt);
        }
        const moved = result.cursor > newest;
        newest = Math.max(newest, result.cursor);
        // Caught up when the page was not full (the re-read positions count towards it).
        if (result.corrections.length < this.#batchSize || !moved) break;
        from = result.cursor;
      }
      if (examples.length > 0) {
        await this.#options.learn({ examples, since: new Date(Number.isFinite(oldest) ? oldest : 0) });
        this.#learned += examples.length;
        this.#options.onLearned?.(examples.length);
      }
      this.#skippedOwn += skipped;
      for (const cursor of seenNow) this.#seen.add(cursor);
      const moved = newest > this.#watermark;
      this.#watermark = newest;
      for (const cursor of this.#seen) if (cursor <= this.#watermark - this.#lookback) this.#seen.delete(cursor);
      if (moved) await this.#saveWatermark();
    } catch (error) {
      this.#failures++;
      const failure =
        error instanceof MoeRouterError
          ? error
          : new MoeRouterError(
              ErrorCode.STORE_FAILED,
              `Picking up corrections from ${this.#options.source.description ?? "the shared store"} failed: ${(error as Error)?.message ?? String(error)}; retrying.`,
              { cause: error },
            );
      this.#options.onError?.(failure);
    }
  }

  async #loadWatermark(): Promise<number> {
    const file = this.#options.watermarkFile;
    if (!file) return 0;
    try {
      const value = (JSON.parse(await readFile(file, "utf8")) as { cursor?: unknown }).cursor;
      return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : 0;
    } catch {
      // Missing or unreadable: learn from the start (learning a correction twice replaces it).
      return 0;
    }
  }

  async #saveWatermark(): Promise<void> {
    const file = this.#options.watermarkFile;
    if (!file) return;
    await writeFileAtomic(file, `${JSON.stringify({ cursor: this.#watermark, store: this.#options.source.description ?? null, updated_at: new Date().toISOString() })}\n`);
  }
}
