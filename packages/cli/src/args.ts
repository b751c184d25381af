import { ErrorCode, MoeRouterError } from "@moe-router/core";

/** A coded error for a wrong command-line argument (exit 2). */
export function argumentError(message: string, usage?: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_ARGUMENT, usage ? `${message}\nUsage: ${usage}` : message);
}

/**
 * The accepted range of a numeric option. `min` and `max` are required so that every numeric
 * option has an upper bound a person can read in the message (a huge value is a typo, and
 * would overflow dates, timers or memory further on).
 */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** `min` itself is refused (e.g. a share that must be more than 0). */
  readonly aboveMin?: boolean;
  /** `max` itself is refused. */
  readonly belowMax?: boolean;
  /** What the number counts, for the message: "hours" gives "a number of hours". */
  readonly unit?: string;
  /** What the number is, replacing "a number of ...": "a share", "a quality score". */
  readonly noun?: string;
  /** A working example for the message, e.g. "-w 24". */
  readonly example?: string;
}

// Plain decimal notation with an optional exponent: no hex (0x1), no "Infinity", no blanks.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function describeRange(flag: string, range: NumberRange): string {
  const kind = range.noun ?? (range.integer ? "a whole number" : "a number");
  const unit = range.unit && !range.noun ? ` of ${range.unit}` : "";
  const bounds =
    range.aboveMin || range.belowMax
      ? `${range.aboveMin ? `greater than ${range.min}` : `at least ${range.min}`} and ${range.belowMax ? `less than ${range.max}` : `at most ${range.max}`}`
      : `from ${range.min} to ${range.max}`;
  return `${flag} must be ${kind}${unit} ${bounds}${range.example ? ` (e.g. ${range.example})` : ""}`;
}

/**
 * Reads a numeric option. Refuses (MOE_INVALID_ARGUMENT, exit 2) anything that is not plain
 * decimal notation (`""`, `" "`, `0x1`, `Infinity`, `1,5`) or lies outside `range`, with a
 * message that names the flag, its unit and its bounds.
 */
export function numberOption(value: string | undefined, flag: string, range: NumberRange): number | undefined {
  if (value === undefined) return undefined;
  const n = DECIMAL.test(value) ? Number(value) : Number.NaN;
  const bad = !Number.isFinite(n) || (range.integer === true && !Number.isInteger(n)) || (range.aboveMin ? n <= range.min : n < range.min) || (range.belowMax ? n >= range.max : n > range.max);
  if (bad) throw argumentError(`${describeRange(flag, range)}; got ${JSON.stringify(value)}.`);
  return n;
}
