/**
 * Sync-or-async composition. The layer must stay promise-free when the embedder answers
 * synchronously (the hot path of a sync cascade), yet work with async embedders; these
 * helpers run the next step directly on plain values and chain on promises.
 */

/** A value, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** True for promises and other thenables. */
export function isThenable<T>(value: unknown): value is PromiseLike<T> {
  return value !== null && typeof value === "object" && typeof (value as PromiseLike<T>).then === "function";
}

/** Runs `next` on `value` now when it is plain, after it settles when it is a promise. */
export function chain<T, U>(value: MaybePromise<T>, next: (resolved: T) => MaybePromise<U>): MaybePromise<U> {
  return isThenable<T>(value) ? Promise.resolve(value).then(next) : next(value);
}
