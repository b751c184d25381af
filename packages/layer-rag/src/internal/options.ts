/** Option checks that turn a user's config mistake into a coded error saying what to fix. */
import { ErrorCode, MoeRouterError } from "@moe-router/core";

/** Throws MOE_INVALID_CONFIG unless `value` is undefined or a number in range. */
export function checkNumber(value: unknown, name: string, where: string, range: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean }): void {
  if (value === undefined) return;
  const n = value as number;
  const ok =
    typeof value === "number" &&
    Number.isFinite(n) &&
    (!range.integer || Number.isInteger(n)) &&
    (range.min === undefined || (range.exclusiveMin ? n > range.min : n >= range.min)) &&
    (range.max === undefined || n <= range.max);
  if (!ok) {
    const bounds = [range.min !== undefined ? `${range.exclusiveMin ? ">" : ">="} ${range.min}` : "", range.max !== undefined ? `<= ${range.max}` : ""].filter(Boolean).join(" and ");
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: "${name}" must be ${range.integer ? "an integer" : "a number"} ${bounds}; got ${JSON.stringify(value)}.`, { data: { option: name } });
  }
}
