import { ErrorCode, MoeRouterError, type CascadeObserver, type Decision } from "@moe-router/core";
import { decisionToRecord } from "./decision-record.js";
import { buildOutcomeRecord } from "./internal/outcome.js";
import { checkKnownKeys, checkLimit } from "./internal/validate.js";
import type { OutcomeRecord, RoutingEvent } from "./records.js";
import type { EventStore, OutcomeInput, ReadOptions, RecordedOutcome, TrackerOptions, TrackerStats } from "./types.js";

/** The recording observer: add it to a cascade's `observers`. */
export interface Tracker extends CascadeObserver {
  readonly store: EventStore;
  /**
   * Converts the decision and appends it to the store; never throws. Returns a promise only
   * when the store is over its high-water mark (core's async `route()` waits on it: backpressure).
   */
  onDecision(decision: Decision): Promise<void> | undefined;
  /**
   * Records what happened to a routed task; works from another process and days later.
   * Resolves once the outcome is durable, and only then.
   * @throws MoeRouterError NOT_FOUND for an event id the store does not hold,
   *   INVALID_CONFIG for a contradictory or out-of-range outcome, CLOSED after close(),
   *   STORE_FAILED when it is not durable (the buffer is full, the write fails, the server does not answer in time).
   */
  recordOutcome(eventId: string, outcome: OutcomeInput): Promise<RecordedOutcome>;
  /** The `limit` most recent decisions, newest first, outcomes merged (default 20). */
  getRecentEvents(limit?: number): Promise<RoutingEvent[]>;
  /** Decisions with outcomes merged, newest first (see {@link EventStore.read}). */
  read(options?: ReadOptions): AsyncIterable<RoutingEvent>;
  /** Writes buffered decisions; they are acknowledged when it resolves. */
  flush(): Promise<void>;
  /** Flushes and closes the store. */
  close(): Promise<void>;
  stats(): TrackerStats;
}

const OPTION_KEYS = ["store", "onError", "experts", "verifyOutcomes"];

/**
 * Creates the tracker: an observer that records every decision with all its layer
 * attempts, plus outcome recording. A failing store never fails routing: failures are
 * counted in `stats()` and passed to `onError`.
 *
 * @example
 * const tracker = createTracker({ store: jsonlStore({ path: ".moe-router/events.jsonl" }) });
 * const cascade = createCascade({ layers, observers: [tracker] });
 * const decision = await cascade.route({ description: "Deploy API to production" });
 * await tracker.recordOutcome(decision.eventId, { completed: true, correct: true, minutes: 12 });
 */
export function createTracker(options: TrackerOptions): Tracker {
  if (!options || typeof options !== "object") throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "createTracker needs options: createTracker({ store: jsonlStore({ path }) }).");
  checkKnownKeys(options, OPTION_KEYS, "tracker options");
  const store = options.store;
  if (!store || typeof store.append !== "function" || typeof store.flush !== "function") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, 'createTracker: "store" must be an event store, e.g. jsonlStore({ path: ".moe-router/events.jsonl" }) or await openStore(spec).');
  }
  const onError = options.onError;
  const verify = options.verifyOutcomes !== false;
  let decisions = 0;
  let outcomes = 0;
  let trackingErrors = 0;
  const report = (error: MoeRouterError) => {
    try {
      onError?.(error);
    } catch {
      // The host's error handler must not break routing either.
    }
  };
  const unsubscribe = store.onError(report);

  /** Appends and waits until this record is durable; rejects with a coded error when it is not. */
  async function appendDurably(record: OutcomeRecord): Promise<void> {
    if (typeof store.appendDurable === "function") return store.appendDurable(record);
    // A store without appendDurable: judge from its counters (another append failing at the same moment is blamed too).
    const before = store.stats();
    store.append(record);
    await store.flush();
    const after = store.stats();
    if (after.appended === before.appended) {
      const error = after.lastError;
      throw new MoeRouterError(
        error?.code === ErrorCode.CLOSED ? ErrorCode.CLOSED : ErrorCode.STORE_FAILED,
        `The outcome for ${record.event_id} was not stored: ${error?.message ?? "the store refused it"}.`,
      );
    }
  }

  return {
    store,
    onDecision(decision) {
      try {
        store.append(decisionToRecord(decision));
        decisions++;
        // Backpressure: over the store's high-water mark, core's async route() waits on this.
        return store.whenWritable?.();
      } catch (error) {
        trackingErrors++;
        report(new MoeRouterError(ErrorCode.STORE_FAILED, `Decision ${String(decision?.eventId)} was not tracked: ${(error as Error).message}.`, { cause: error }));
        return undefined;
      }
    },
    async recordOutcome(eventId, input) {
      const record = buildOutcomeRecord(eventId, input, options.experts);
      let event: RoutingEvent | undefined;
      if (verify) {
        event = await store.get(eventId);
        if (event === undefined) {
          throw new MoeRouterError(
            ErrorCode.NOT_FOUND,
            `No decision with event id "${eventId}" in ${store.description}. Use the event_id printed by \`moe-router route\`, and the same store (--store/--config) it was routed with.`,
            { data: { eventId } },
          );
        }
        const correctedTo = record.outcome.user_corrected_to;
        if (correctedTo && correctedTo === event.selected_master) {
          throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Event ${eventId} was routed to "${correctedTo}" already; a correction must name another expert (or report it as correct).`);
        }
      }
      await appendDurably(record);
      outcomes++;
      return { record, event: event ? { ...event, outcome: record.outcome, outcome_timestamp: record.timestamp } : undefined };
    },
    async getRecentEvents(limit = 20) {
      checkLimit(limit);
      return store.recentEvents(limit);
    },
    read: (readOptions) => store.read(readOptions),
    flush: () => store.flush(),
    async close() {
      try {
        await store.close();
      } finally {
        unsubscribe();
      }
    },
    stats: () => ({ decisions, outcomes, trackingErrors, store: store.stats() }),
  };
}
