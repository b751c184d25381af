/**
 * Checks shared by every store, so the embedded and pgvector stores reject the same input
 * with the same errors (the shared suite holds them to it).
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { ItemSource, VectorItem } from "../types.js";

const SOURCES: ReadonlySet<string> = new Set<ItemSource>(["task", "document"]);

/** Throws MOE_INVALID_CONFIG when a vector's length is not the store's dimension. */
export function checkDimension(vector: ArrayLike<number>, dimension: number, what: string): void {
  if (vector.length !== dimension) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      `${what} has ${vector.length} dimensions but the store holds ${dimension}-dimensional vectors. ` +
        "The store was built with another embedder: configure that embedder, or re-index with `moe-router index` into a fresh store.",
      { data: { got: vector.length, expected: dimension } },
    );
  }
}

/** L2-normalised Float32 copy, or undefined for an all-zero (or non-finite) vector. */
export function unitVector(vector: ArrayLike<number>): Float32Array | undefined {
  const out = Float32Array.from(vector);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i]! * out[i]!;
  if (!(sum > 0) || !Number.isFinite(sum)) return undefined;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}

/** Validates an item before it is stored; returns its unit vector. */
export function checkItem(item: VectorItem, dimension: number): Float32Array {
  if (item === null || typeof item !== "object") throw new TypeError("upsert() takes an array of { id, vector, expert, text, source } items");
  if (typeof item.id !== "string" || item.id.length === 0) throw new TypeError("every item needs a non-empty string id");
  if (typeof item.expert !== "string" || item.expert.length === 0) throw new TypeError(`item "${item.id}" needs a non-empty expert`);
  if (typeof item.text !== "string") throw new TypeError(`item "${item.id}" needs a text string`);
  if (!SOURCES.has(item.source)) throw new TypeError(`item "${item.id}" has source ${JSON.stringify(item.source)}; use "task" or "document"`);
  if (item.weight !== undefined && !(Number.isFinite(item.weight) && item.weight > 0)) {
    throw new TypeError(`item "${item.id}" has weight ${String(item.weight)}; use a positive number`);
  }
  checkDimension(item.vector, dimension, `The vector of item "${item.id}"`);
  const unit = unitVector(item.vector);
  // A zero vector has no direction, so it cannot be similar to anything; callers skip such texts.
  if (!unit) throw new TypeError(`item "${item.id}" has an all-zero or non-finite vector; skip texts the embedder cannot represent`);
  return unit;
}

/** Throws TypeError unless k is a positive integer. */
export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new TypeError(`query() needs k >= 1 (an integer); got ${String(k)}`);
}

/** The coded error for an operation on a closed store. */
export function closedError(kind: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.CLOSED, `This ${kind} vector store was closed; open a new one.`);
}
