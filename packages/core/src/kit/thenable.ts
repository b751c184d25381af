/** A value, or a promise of it: what a sync-or-async layer or embedder returns. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * True for promises and other thenables. Layers use it to stay promise-free when their
 * embedder answers synchronously (the hot path of a sync cascade).
 */
export function isThenable<T = unknown>(value: unknown): value is PromiseLike<T> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<T>).then === "function";
}

/** Runs `next` on `value` now when it is plain, after it settles when it is a promise. */
export function chain<T, U>(value: MaybePromise<T>, next: (resolved: T) => MaybePromise<U>): MaybePromise<U> {
  return isThenable<T>(value) ? Promise.resolve(value).then(next) : next(value);
}
