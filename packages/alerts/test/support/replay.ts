import type { EventSource, LogRecord, Outcome, RoutingEvent } from "@moe-router/tracker";

interface Stored {
  readonly time: number;
  readonly event: RoutingEvent;
  /** The same event with its outcome merged, visible from `outcomeTime` on. */
  readonly withOutcome?: RoutingEvent;
  readonly outcomeTime?: number;
}

/**
 * Generated records replayed as a store at any past time: `at(T)` reads decisions routed
 * before T with only the outcomes reported by T, as a live store would have held them then.
 * Events are kept sorted (binary search per range) and stripped of what no metric reads, so
 * 100,000 of them stay small and each evaluation touches only its window.
 */
export class Replay {
  private readonly events: Stored[];

  constructor(records: Iterable<LogRecord>) {
    const byId = new Map<string, { event: RoutingEvent; time: number; outcome?: Outcome; outcomeTime?: number }>();
    for (const record of records) {
      if (record.record_type === "decision") {
        const { task_description: _d, task_metadata: _m, all_probabilities: _p, ...rest } = record;
        const event = { ...rest, task_description: "", layer_attempts: record.layer_attempts.map(({ metadata: _x, ...attempt }) => attempt) } as RoutingEvent;
        byId.set(record.event_id, { event, time: Date.parse(record.timestamp) });
      } else {
        const entry = byId.get(record.event_id);
        if (entry) Object.assign(entry, { outcome: record.outcome, outcomeTime: Date.parse(record.timestamp) });
      }
    }
    this.events = [...byId.values()]
      .map(({ event, time, outcome, outcomeTime }) => (outcome ? { event, time, withOutcome: { ...event, outcome }, outcomeTime: outcomeTime! } : { event, time }))
      .sort((a, b) => a.time - b.time);
  }

  private lowerBound(time: number): number {
    let low = 0,
      high = this.events.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.events[mid]!.time < time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The store as it stood at `at` (epoch ms). */
  at(at: number): EventSource {
    const events = this.events;
    const lowerBound = (time: number) => this.lowerBound(time);
    return {
      *read(range = {}) {
        const since = range.since?.getTime() ?? Number.NEGATIVE_INFINITY;
        const until = Math.min(range.until?.getTime() ?? Number.POSITIVE_INFINITY, at);
        for (let i = lowerBound(since); i < events.length && events[i]!.time < until; i++) {
          const stored = events[i]!;
          yield stored.withOutcome !== undefined && stored.outcomeTime! <= at ? stored.withOutcome : stored.event;
        }
      },
    };
  }
}
