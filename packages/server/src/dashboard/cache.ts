/**
 * Shares one snapshot computation between every open dashboard: at most one read of the
 * store runs at a time, a snapshot younger than `freshMs` is served as is, and when nothing
 * changed on this instance one is reused for `idleMs` (other instances' records on a shared
 * store show up within that time).
 */
export interface SnapshotCacheOptions {
  readonly freshMs: number;
  readonly idleMs: number;
  readonly clock?: () => number;
}

export class SnapshotCache<T> {
  readonly #compute: () => Promise<T>;
  readonly #options: SnapshotCacheOptions;
  readonly #clock: () => number;
  #value: T | undefined;
  #at = -Infinity;
  #changed = true;
  #inflight: Promise<T> | undefined;

  constructor(compute: () => Promise<T>, options: SnapshotCacheOptions) {
    this.#compute = compute;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** Something was routed or recorded here: the next request after `freshMs` recomputes. */
  markChanged(): void {
    this.#changed = true;
  }

  get(): Promise<T> {
    const age = this.#clock() - this.#at;
    if (this.#value !== undefined && (age < this.#options.freshMs || (!this.#changed && age < this.#options.idleMs))) return Promise.resolve(this.#value);
    if (this.#inflight) return this.#inflight;
    this.#changed = false;
    const started = this.#clock();
    this.#inflight = this.#compute().then(
      (value) => {
        this.#value = value;
        this.#at = started;
        this.#inflight = undefined;
        return value;
      },
      (error: unknown) => {
        this.#changed = true;
        this.#inflight = undefined;
        throw error;
      },
    );
    return this.#inflight;
  }
}
