import { ErrorCode, MoeRouterError } from "@moe-router/core";

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Milliseconds of a duration such as "90s", "15m", "1h", "24h", "7d", "2w" (one number and
 * one unit; decimals allowed, e.g. "1.5h").
 * @throws MoeRouterError INVALID_CONFIG for anything else, naming `where` (and `data.field`).
 */
export function parseDuration(text: unknown, where = "duration", field = "duration"): number {
  const match = typeof text === "string" ? /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(text) : null;
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : Number.NaN;
  if (!match || !(ms > 0) || !Number.isFinite(ms)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where} must be a duration such as "15m", "1h", "24h" or "7d" (units s, m, h, d, w); got ${JSON.stringify(text)}.`, {
      data: { where, field },
    });
  }
  return Math.round(ms);
}
