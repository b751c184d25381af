import { parseArgs, type ParseArgsConfig } from "node:util";
import { ErrorCode, MoeRouterError } from "@moe-router/core";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses argv with node:util parseArgs, turning its errors into coded usage errors. */
export function parseCommandArgs<T extends Options>(
  argv: readonly string[],
  options: T,
  usage: string,
  allowPositionals = true,
): { values: { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : T[K]["multiple"] extends true ? string[] : string }; positionals: string[] } {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true }) as never;
  } catch (error) {
    throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `${(error as Error).message}\nUsage: ${usage}`, { cause: error });
  }
}

/** Reads a numeric option; throws a coded error naming the flag when it is not a number in range. */
export function numberOption(value: string | undefined, flag: string, range: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const bad = !Number.isFinite(n) || (range.integer && !Number.isInteger(n)) || (range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max);
  if (bad) {
    const bounds = [range.min !== undefined ? `>= ${range.min}` : "", range.max !== undefined ? `<= ${range.max}` : ""].filter(Boolean).join(" and ");
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${flag} must be ${range.integer ? "an integer" : "a number"}${bounds ? ` ${bounds}` : ""}; got "${value}".`);
  }
  return n;
}
