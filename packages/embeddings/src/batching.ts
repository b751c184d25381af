/**
 * Coalesces concurrent `embed()` calls into batches. Model-backed embedders are much
 * cheaper per text in a batch (one forward pass, one tensor allocation), while a router
 * receives tasks one at a time; this wrapper bridges the two. While `maxConcurrentBatches`
 * batches run, new texts wait and leave together in the next batch, so batches grow with
 * load and a lone request on an idle embedder goes out at once.
 */
import type { Embedder } from "@moe-router/core";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { BatchingEmbedder, BatchingEmbedderOptions, BatchingStats } from "./types.js";

/** One caller's texts waiting in the queue, and where its answer goes. */
interface Request {
  readonly texts: readonly string[];
  readonly vectors: Float32Array[];
  /** Texts of this request not yet answered. */
  remaining: number;
  failed: boolean;
  resolve(vectors: Float32Array[]): void;
  reject(error: unknown): void;
}

/** A queued text: which request it belongs to and at which position. */
interface Slot {
  readonly request: Request;
  readonly index: number;
}

function invalid(option: string, value: unknown, rule: string, example: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `batchingEmbedder(): "${option}" must be ${rule} (got ${String(value)}); e.g. ${example}.`, { data: { option, value } });
}

class BatchingEmbedderImpl<Inner extends Embedder> implements BatchingEmbedder<Inner> {
  private queue: Slot[] = [];
  private scheduled = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private batches = 0;
  private sent = 0;
  private requests = 0;

  constructor(
    readonly inner: Inner,
    private readonly maxBatchSize: number,
    private readonly maxWaitMs: number,
    private readonly maxConcurrentBatches: number,
  ) {}

  get id(): string {
    return this.inner.id;
  }

  get dimension(): number {
    return this.inner.dimension;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.requests++;
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise<Float32Array[]>((resolve, reject) => {
      const request: Request = { texts, vectors: new Array(texts.length), remaining: texts.length, failed: false, resolve, reject };
      for (let index = 0; index < texts.length; index++) this.queue.push({ request, index });
      // Full batches need no company; a partial one waits (a microtask, or maxWaitMs).
      this.sendWhile(() => this.queue.length >= this.maxBatchSize);
      if (this.queue.length > 0) this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.maxWaitMs === 0) queueMicrotask(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.scheduled = false;
    this.sendWhile(() => this.queue.length > 0);
  }

  /** Sends batches while `condition` holds and a batch slot is free. */
  private sendWhile(condition: () => boolean): void {
    while (condition() && this.inFlight < this.maxConcurrentBatches) this.send(this.queue.splice(0, this.maxBatchSize));
  }

  private send(slots: Slot[]): void {
    this.batches++;
    this.sent += slots.length;
    this.inFlight++;
    let result: Float32Array[] | Promise<Float32Array[]>;
    try {
      result = this.inner.embed(slots.map((slot) => slot.request.texts[slot.index]!));
    } catch (error) {
      result = Promise.reject(error);
    }
    Promise.resolve(result)
      .then(
        (vectors) => this.deliver(slots, vectors),
        (error: unknown) => this.fail(slots, error),
      )
      .finally(() => {
        this.inFlight--;
        // Texts that arrived meanwhile have waited long enough: send them now.
        this.sendWhile(() => this.queue.length > 0);
        if (this.inFlight === 0 && this.queue.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
  }

  private deliver(slots: Slot[], vectors: Float32Array[]): void {
    if (!Array.isArray(vectors) || vectors.length !== slots.length) {
      this.fail(
        slots,
        new MoeRouterError(
          ErrorCode.LAYER_FAILED,
          `Embedder "${this.inner.id}" returned ${Array.isArray(vectors) ? vectors.length : "no"} vectors for ${slots.length} texts; it must return one per text.`,
        ),
      );
      return;
    }
    slots.forEach((slot, k) => {
      const { request } = slot;
      if (request.failed) return;
      request.vectors[slot.index] = vectors[k]!;
      if (--request.remaining === 0) request.resolve(request.vectors);
    });
  }

  /** Rejects every request with a text in `slots` (once each). */
  private fail(slots: Slot[], error: unknown): void {
    for (const { request } of slots) {
      if (request.failed) continue;
      request.failed = true;
      request.reject(error);
    }
  }

  stats(): BatchingStats {
    return { batches: this.batches, texts: this.sent, requests: this.requests };
  }

  async close(): Promise<void> {
    this.flush();
    // Let queued and running batches finish before the inner embedder goes away.
    if (this.inFlight > 0 || this.queue.length > 0) await new Promise<void>((wake) => this.idleWaiters.push(wake));
    await this.inner.close?.();
  }
}

/**
 * Wraps `inner` so that `embed()` calls made close together are sent as one batch
 * (up to `maxBatchSize` texts; at most `maxConcurrentBatches` running). Always async.
 *
 * @example
 * const embedder = batchingEmbedder(await useEmbedder(), { maxBatchSize: 64 });
 * const [a, b] = await Promise.all([embedder.embed(["one"]), embedder.embed(["two"])]); // one model call
 */
export function batchingEmbedder<Inner extends Embedder>(inner: Inner, options: BatchingEmbedderOptions = {}): BatchingEmbedder<Inner> {
  const maxBatchSize = options.maxBatchSize ?? 32;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw invalid("maxBatchSize", maxBatchSize, "a positive integer", "32");
  const maxWaitMs = options.maxWaitMs ?? 0;
  if (typeof maxWaitMs !== "number" || !Number.isFinite(maxWaitMs) || maxWaitMs < 0) throw invalid("maxWaitMs", maxWaitMs, "a number >= 0", "0 or 2");
  const concurrency = options.maxConcurrentBatches ?? 1;
  if (concurrency !== Infinity && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw invalid("maxConcurrentBatches", concurrency, "a positive integer or Infinity", "1");
  }
  return new BatchingEmbedderImpl(inner, maxBatchSize, maxWaitMs, concurrency);
}
