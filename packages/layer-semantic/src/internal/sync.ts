/**
 * Sync-or-async composition: the layer stays promise-free when the embedder answers
 * synchronously (the hot path of a sync cascade). The helpers are the layer kit's.
 */
export { chain, isThenable, type MaybePromise } from "@moe-router/core/kit";
