/** A correction waiting to be learned: which decision, and when it was routed. */
export interface PendingCorrection {
  readonly eventId: string;
  /** The decision's timestamp (ISO-8601): learn() reads the store from the oldest one on. */
  readonly routedAt: string;
}

/** Options of {@link LearningQueue}. */
export interface LearningQueueOptions {
  /** Applies the corrections stored for decisions routed at or after `since`. */
  readonly learn: (since: Date | undefined, batch: readonly PendingCorrection[]) => Promise<unknown>;
  /** Corrections collected before a batch goes out at once. */
  readonly batchSize: number;
  /** Longest wait before a partial batch goes out, in ms. */
  readonly delayMs: number;
  /** Told about each batch: its corrections, and what learn() returned or threw. */
  readonly onBatch?: (batch: readonly PendingCorrection[], result: { readonly value?: unknown; readonly error?: unknown }) => void;
}

/**
 * Collects corrections from outcomes and runs learn() for them in batches, after the
 * response has gone out: the request path only pushes to an array. One batch runs at a
 * time; corrections that arrive meanwhile wait for the next.
 */
export class LearningQueue {
  private pending: PendingCorrection[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: LearningQueueOptions) {}

  /** Queues one correction; never throws, never waits. */
  add(correction: PendingCorrection): void {
    if (this.closed) return;
    this.pending.push(correction);
    if (this.pending.length >= this.options.batchSize) this.kick(0);
    else if (!this.timer) this.kick(this.options.delayMs);
  }

  /** Resolves once learn() has run for every correction queued so far. */
  async drain(): Promise<void> {
    while (this.running || this.pending.length > 0) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      await (this.running ?? this.start());
    }
  }

  /** Learns what is queued, then refuses more. */
  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
  }

  private kick(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.running) void this.start();
    }, delayMs);
    this.timer.unref();
  }

  private start(): Promise<void> {
    const running = this.runBatches().finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private async runBatches(): Promise<void> {
    // Let the request that queued the correction finish first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const times = batch.map((c) => Date.parse(c.routedAt)).filter(Number.isFinite);
      const since = times.length === batch.length ? new Date(Math.min(...times)) : undefined;
      let result: { value?: unknown; error?: unknown };
      try {
        result = { value: await this.options.learn(since, batch) };
      } catch (error) {
        result = { error: error ?? new Error("learn() failed") };
      }
      try {
        this.options.onBatch?.(batch, result);
      } catch {
        // A reporting hook must not stop learning.
      }
    }
  }
}
