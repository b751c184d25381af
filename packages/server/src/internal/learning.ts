import type { LabelledExample } from "@moe-router/core";

/** Options of {@link LearningQueue}. */
export interface LearningQueueOptions {
  /** Passes a batch to the learnable layers. */
  readonly learn: (examples: readonly LabelledExample[]) => Promise<unknown>;
  /** Examples collected before a batch goes out at once. */
  readonly batchSize: number;
  /** Longest wait before a partial batch goes out, in ms. */
  readonly delayMs: number;
  /** Told about each batch: how many examples, and the error when learn() failed. */
  readonly onBatch?: (count: number, error: unknown) => void;
}

/**
 * Collects corrections from outcomes and passes them to learn() in batches, after the
 * response has gone out: the request path only pushes to an array. One batch runs at a
 * time; examples that arrive meanwhile wait for the next.
 */
export class LearningQueue {
  private pending: LabelledExample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: LearningQueueOptions) {}

  /** Queues one example; never throws, never waits. */
  add(example: LabelledExample): void {
    if (this.closed) return;
    this.pending.push(example);
    if (this.pending.length >= this.options.batchSize) this.kick(0);
    else if (!this.timer) this.kick(this.options.delayMs);
  }

  /** Resolves once every example queued so far has been passed to learn(). */
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
    // Let the request that queued the example finish first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      let failure: unknown;
      try {
        await this.options.learn(batch);
      } catch (error) {
        failure = error ?? new Error("learn() failed");
      }
      try {
        this.options.onBatch?.(batch.length, failure);
      } catch {
        // A reporting hook must not stop learning.
      }
    }
  }
}
