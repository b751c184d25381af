import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { ReadOptions } from "../types.js";

import { checkKnownKeys } from "@moe-router/core/kit";

export { checkKnownKeys };

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && Number.isFinite(value.getTime());
}

/** Checks a read window: valid Dates, since before until. */
export function checkReadOptions(options: ReadOptions): void {
  if (options === null || typeof options !== "object") throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "read() takes { since?: Date, until?: Date }.");
  checkKnownKeys(options, ["since", "until"], "read options");
  for (const key of ["since", "until"] as const) {
    if (options[key] !== undefined && !isValidDate(options[key])) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `read(): "${key}" must be a valid Date; got ${String(options[key])}.`);
    }
  }
  if (options.since && options.until && options.since.getTime() > options.until.getTime()) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `read(): since (${options.since.toISOString()}) is after until (${options.until.toISOString()}); swap them.`);
  }
}

/** Checks a `limit` argument: a non-negative integer. */
export function checkLimit(limit: unknown): asserts limit is number {
  if (!(typeof limit === "number" && Number.isInteger(limit) && limit >= 0)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `limit must be a non-negative integer (e.g. 20); got ${String(limit)}.`);
  }
}
