/**
 * Dynamic batching for a model: one batch runs at a time; texts from calls made in the same
 * turn, or arriving while a batch runs, leave together in the next batch (up to
 * `maxBatchSize`). An idle model gets a lone request at once; a busy one gets bigger batches.
 * (Embedder packages may import only core, so this small piece lives in each model package;
 * @moe-router/embeddings offers the same as the general `batchingEmbedder`.)
 */

interface Pending {
  readonly text: string;
  readonly resolve: (vector: Float32Array) => void;
  readonly reject: (error: unknown) => void;
}

/** Gathers texts into batches for `run`, which must return one vector per text. */
export class DynamicBatcher {
  private queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private scheduled = false;

  constructor(
    private readonly run: (texts: string[]) => Promise<Float32Array[]>,
    private readonly maxBatchSize: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Embeds `texts` as part of whatever batch they land in. */
  embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors = texts.map((text) => new Promise<Float32Array>((resolve, reject) => this.queue.push({ text, resolve, reject })));
    this.schedule();
    return Promise.all(vectors);
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      this.schedule();
      await this.running;
      await Promise.resolve();
    }
  }

  private schedule(): void {
    if (this.running || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      this.next();
    };
    // A microtask still gathers every call made in the same synchronous turn.
    if (this.maxWaitMs === 0) queueMicrotask(start);
    else setTimeout(start, this.maxWaitMs);
  }

  private next(): void {
    if (this.running || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatchSize);
    this.running = this.run(batch.map((p) => p.text)).then(
      (vectors) => {
        if (vectors.length !== batch.length) throw new Error(`model returned ${vectors.length} vectors for ${batch.length} texts`);
        batch.forEach((p, i) => p.resolve(vectors[i]!));
      },
    ).catch((error: unknown) => batch.forEach((p) => p.reject(error)))
      .finally(() => {
        this.running = undefined;
        // Texts that arrived meanwhile have waited a whole batch already: go now.
        this.next();
      });
  }
}
