import { ErrorCode, MoeRouterError } from "@moe-router/core";

/** A coded config error (MOE_INVALID_CONFIG) whose message says how to fix it. */
export function invalidConfig(message: string, data?: Record<string, unknown>): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `keywordLayer: ${message}`, data ? { data } : {});
}

/** Throws MOE_UNKNOWN_OPTION for the first key of `object` not in `known` (usually a typo). */
export function rejectUnknownKeys(object: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new MoeRouterError(
        ErrorCode.UNKNOWN_OPTION,
        `keywordLayer: unknown option "${key}" in ${where}. Known options: ${known.join(", ")}.`,
        { data: { option: key, where } },
      );
    }
  }
}

/** True for a plain (non-null, non-array) object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof RegExp);
}
