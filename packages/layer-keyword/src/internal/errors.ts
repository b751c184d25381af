import { ErrorCode, MoeRouterError } from "@moe-router/core";

/** A coded config error (MOE_INVALID_CONFIG) whose message says how to fix it. */
export function invalidConfig(message: string, data?: Record<string, unknown>): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `keywordLayer: ${message}`, data ? { data } : {});
}
