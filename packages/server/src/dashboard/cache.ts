/**
 * Shares one snapshot computation between every open dashboard: at most one read of the
 * store runs at a time, a snapshot younger than `freshMs` is served as is, and when nothing
 * changed on this instance one is reused for `idleMs` (other instances' records on a shared
 * store show up within that time). A snapshot that took long to compute is kept for
 * `costFactor` times its computing time, so a big window never keeps the host busy with the
 * dashboard for more than 1 / costFactor of the time.
 */
export interface SnapshotCacheOptions {
  readonly freshMs: number;
  readonly idleMs: number;
  /** Keep a snapshot at least this many times as long as it took to compute. Default 4. */
  readonly costFactor?: number;
  readonly clock?: () => number;
}

export class SnapshotCache<T> {
  readonly #compute: () => Promise<T>;
  readonly #options: SnapshotCacheOptions;
  readonly #clock: () => number;
  #value: T | undefined;
  #at = -Infinity;
  #cost = 0;
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
    const busy = this.#cost * (this.#options.costFactor ?? 4);
    const fresh = Math.max(this.#options.freshMs, busy);
    const idle = Math.max(this.#options.idleMs, busy);
    if (this.#value !== undefined && (age < fresh || (!this.#changed && age < idle))) return Promise.resolve(this.#value);
    if (this.#inflight) return this.#inflight;
    this.#changed = false;
    const started = this.#clock();
    this.#inflight = this.#compute().then(
      (value) => {
        this.#value = value;
        this.#at = started;
        this.#cost = this.#clock() - started;
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
